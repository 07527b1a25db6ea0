// The admin's date picker opens on the month of the date in its field: for an article's
// "Last Updated On" that is often years ago. Editors date updates today or lately, so the
// picker opens on this month; the field's date stays highlighted when it is in view.
'use strict';
window.addEventListener('load', function() {
    if (!window.DateTimeShortcuts) {
        return;
    }
    const openCalendar = DateTimeShortcuts.openCalendar;
    DateTimeShortcuts.openCalendar = function(num) {
        openCalendar.call(DateTimeShortcuts, num);
        const today = new Date();
        DateTimeShortcuts.calendars[num].drawDate(today.getMonth() + 1, today.getFullYear());
    };
});
