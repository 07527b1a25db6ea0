"""The admin of the content model: categories, tags, and the article form's sections, tags and images.

ArticleAdmin takes ArticleContentAdminMixin: it adds one fieldset and its widgets, so the article admin
itself stays as it is.
"""

import copy

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from images.models import Image

from .models import Article, Category, Tag
from .redirects import RedirectedPathFormMixin

NEW_TAG_PREFIX = "new:"


class ValidIdsOnlyMixin:
    """Django's autocomplete widgets look up submitted ids as sent: a non-numeric one made the re-shown form
    answer 500. Only valid ids are looked up."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._is_valid_id(item)], attr)

    def _is_valid_id(self, item):
        try:
            self.field.remote_field.model._meta.pk.to_python(item)
        except ValidationError:
            return False
        return True


def after_autocomplete(media, script):
    """`media` with `script` last in the same list: two Media added together keep no order between them, and
    the script needs django.jQuery and select2."""
    return forms.Media(css=media._css, js=[*media._js, script])


class SafeAutocompleteSelect(ValidIdsOnlyMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidIdsOnlyMixin, AutocompleteSelectMultiple):
    pass


class TagAutocomplete(SafeAutocompleteSelectMultiple):
    """Select2 in tags mode: a typed name that is no tag yet is offered as a new one
    (static/blog/admin/tag_autocomplete.js)."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-creates-tags"] = NEW_TAG_PREFIX
        return attrs

    def optgroups(self, name, value, attr=None):
        """The chosen tags, and the names typed as new ones, still typed: a refused form loses neither."""
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        for item in value:
            if item.startswith(NEW_TAG_PREFIX):
                options.append(self.create_option(name, item, item[len(NEW_TAG_PREFIX) :], True, len(options)))
        return groups

    @property
    def media(self):
        return after_autocomplete(super().media, "blog/admin/tag_autocomplete.js")


class ImagePicker(SafeAutocompleteSelect):
    """Searches the image library; choosing one inserts its reference into the body
    (static/blog/admin/image_picker.js)."""

    @property
    def media(self):
        return after_autocomplete(super().media, "blog/admin/image_picker.js")


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Tags by id, plus names typed as new tags ("new:Name"). Checking writes nothing: a name that is no tag yet
    comes back as an unsaved Tag, created when the article is saved (ArticleContentFormMixin._save_m2m)."""

    def clean(self, value):
        value = list(value or [])
        new_names = [item[len(NEW_TAG_PREFIX) :] for item in value if str(item).startswith(NEW_TAG_PREFIX)]
        ids = [item for item in value if not str(item).startswith(NEW_TAG_PREFIX)]
        named = [Tag.named(name) for name in new_names if name.strip()]
        return [*super().clean(ids), *named]


class ArticleContentFormMixin(RedirectedPathFormMixin):
    insert_image = forms.ModelChoiceField(
        queryset=Image.objects.all(),
        label=_("Insert image"),
        required=False,
        help_text=_(
            "Search the image library by alt text or caption; the image goes into the body where the cursor is, "
            "as [image:N] on its own line. Upload new images under Image library › Images."
        ),
    )

    def clean_tags(self):
        """A refused form shows a typed name that is a tag already as that tag, and the others still typed."""
        tags = self.cleaned_data["tags"]
        key = self.add_prefix("tags")
        if any(item.startswith(NEW_TAG_PREFIX) for item in self.data.getlist(key)):
            self.data = self.data.copy()
            self.data.setlist(key, [str(tag.pk) if tag.pk else f"{NEW_TAG_PREFIX}{tag.name}" for tag in tags])
        return tags

    def _save_m2m(self):
        """The tags typed as new are created here, as the article is saved."""
        if "tags" in self.cleaned_data:
            self.cleaned_data["tags"] = [tag if tag.pk else Tag.for_name(tag.name) for tag in self.cleaned_data["tags"]]
        super()._save_m2m()

    def clean_insert_image(self):
        return None  # Only a picker: the reference it inserted is in the body.


class ArticleContentAdminMixin:
    content_fieldset = (
        _("Sections, tags and images"),
        {"fields": ["categories", "tags", "featured_image", "insert_image"]},
    )
    redirect_fieldset = (_("Address"), {"classes": ["collapse"], "fields": ["replace_redirect"]})

    def with_content_fieldsets(self, fieldsets):
        """`fieldsets` with this one after the first, and the redirect confirmation last."""
        first, *rest = fieldsets
        return [first, self.content_fieldset, *rest, self.redirect_fieldset]

    def get_form(self, request, obj=None, **kwargs):
        form = kwargs.get("form", self.form)
        kwargs["form"] = type(f"Content{form.__name__}", (ArticleContentFormMixin, form), {})
        form_class = super().get_form(request, obj, **kwargs)
        if "insert_image" in form_class.base_fields:
            picker = copy.deepcopy(form_class.base_fields["insert_image"])
            picker.widget = ImagePicker(Article._meta.get_field("featured_image"), self.admin_site)
            form_class.base_fields["insert_image"] = picker
        return form_class

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return TagChoiceField(
                queryset=Tag.objects.all(),
                required=False,
                widget=TagAutocomplete(db_field, self.admin_site),
                label=db_field.verbose_name.capitalize(),
                help_text=_("Type to find a tag; a name that is no tag yet is created when you save."),
            )
        if db_field.name == "categories":
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "featured_image":
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CategoryAdminForm(RedirectedPathFormMixin, forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "slug", "parent", "description"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["__str__", "slug", "article_count"]
    search_fields = ["name", "slug", "path"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "description"]}),
        (_("Address"), {"classes": ["collapse"], "fields": ["replace_redirect"]}),
    ]
    view_on_site = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent__parent").annotate(article_count=Count("articles"))

    @admin.display(description=_("Articles"), ordering="article_count")
    def article_count(self, category):
        return category.article_count


class TagAdminForm(RedirectedPathFormMixin, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug", "description"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (_("Address"), {"classes": ["collapse"], "fields": ["replace_redirect"]}),
    ]
    view_on_site = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("Articles"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count
