'use strict';
// "Insert image": the image chosen in the library search goes into the body at the cursor, as its
// reference ([image:42]) on a line of its own; the picker is cleared for the next one.
{
    const $ = django.jQuery;

    function insertReference(body, reference) {
        const start = body.selectionStart ?? body.value.length;
        const end = body.selectionEnd ?? start;
        const before = body.value.slice(0, start).replace(/\s*$/, '');
        const after = body.value.slice(end).replace(/^\s*/, '');
        const text = (before ? before + '\n\n' : '') + reference + '\n\n';
        body.value = text + after;
        body.focus();
        body.setSelectionRange(text.length, text.length);
        body.dispatchEvent(new Event('input', {bubbles: true}));
    }

    $(function() {
        const picker = $('#id_insert_image');
        const body = document.getElementById('id_body');
        if (!picker.length || !body) {
            return;
        }
        picker.on('select2:select', (event) => {
            insertReference(body, '[image:' + event.params.data.id + ']');
            picker.val(null).trigger('change');
        });
    });
}
