'use strict';
// The article form's tags: Django's autocomplete (select2) in tags mode. A typed name that is no tag yet
// is offered as "Name (new tag)" and sent as "new:Name"; the article's save creates it (blog.content_admin).
{
    const $ = django.jQuery;

    $(function() {
        $('select[data-creates-tags]').each(function(i, element) {
            const prefix = element.dataset.createsTags;
            $(element).select2('destroy');
            $(element).select2({
                tags: true,
                ajax: {
                    data: (params) => ({
                        term: params.term,
                        page: params.page,
                        app_label: element.dataset.appLabel,
                        model_name: element.dataset.modelName,
                        field_name: element.dataset.fieldName
                    })
                },
                createTag: (params) => {
                    const name = params.term.trim();
                    return name ? {id: prefix + name, text: name, newTag: true} : null;
                },
                templateResult: (item) => item.newTag ? item.text + ' (new tag)' : item.text
            });
        });
    });
}
