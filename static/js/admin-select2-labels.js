'use strict';
// The admin's autocomplete boxes (select2) give screen readers no name: the box of an empty single choice is
// labelled by its (empty) selection, and a multiple choice's typing field and list have no label or list
// role (axe: aria-input-field-name, label, list). Each gets its field's label, and select2's list is marked
// as the presentation it is. select2 redraws these parts on every change, so they are named as they appear.
{
    function labelFor(select) {
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        return label ? label.textContent.replace(/:\s*$/, '').trim() : '';
    }

    function name(container) {
        const select = container.previousElementSibling;
        if (!select || select.tagName !== 'SELECT') {
            return;
        }
        const text = labelFor(select);
        container.querySelectorAll('.select2-selection[role="combobox"]').forEach((box) => {
            if (text && box.getAttribute('aria-label') !== text) {
                box.removeAttribute('aria-labelledby');
                box.setAttribute('aria-label', text);
            }
        });
        container.querySelectorAll('.select2-search__field, .select2-selection__rendered[role="textbox"]').forEach((field) => {
            if (text && field.getAttribute('aria-label') !== text) {
                field.setAttribute('aria-label', text);
            }
        });
        container.querySelectorAll('ul.select2-selection__rendered').forEach((list) => {
            list.setAttribute('role', 'none');
            list.querySelectorAll(':scope > li').forEach((item) => item.setAttribute('role', 'none'));
        });
    }

    function nameAll() {
        document.querySelectorAll('span.select2-container').forEach(name);
    }

    document.addEventListener('DOMContentLoaded', () => {
        nameAll();
        new MutationObserver(nameAll).observe(document.body, {childList: true, subtree: true});
    });
}
