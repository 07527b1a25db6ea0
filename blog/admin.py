from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import preview
from .content_admin import ArticleContentAdminMixin
from .forms import ArticleAdminForm, ArticleUpdateForm
from .models import Article, ArticleUpdate


class TamperProofAutocompleteSelect(AutocompleteSelect):
    """Django's widget looks up the submitted id as sent: a non-numeric one made the re-shown form answer 500."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._is_valid_id(item)], attr)

    def _is_valid_id(self, item):
        try:
            self.field.remote_field.model._meta.pk.to_python(item)
        except ValidationError:
            return False
        return True


class ArticleUpdateInline(admin.TabularInline):
    """The public update history, for corrections; updates themselves are made with the "Update" save."""

    model = ArticleUpdate
    form = ArticleUpdateForm
    fields = ["date", "note", "editor"]
    readonly_fields = ["editor"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("editor")


@admin.register(Article)
class ArticleAdmin(ArticleContentAdminMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "author", "status", "is_published", "published_at", "last_updated_on", "comment_count"]
    list_filter = ["status", "allow_comments", "author", "last_updated_on"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body", "author__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author"]
    actions = ["mark_updated_today"]
    save_on_top = True
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "summary", "body"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "last_updated_on"]}),
        (_("Comments"), {"fields": ["allow_comments", "close_comments_after_days"]}),
    ]
    change_fieldsets = [
        (None, {"fields": ["title", "slug", "author", "summary", "body", "edited_version"]}),
        *fieldsets[1:],
        (_("This save"), {"fields": ["change_kind", "change_note"]}),
    ]
    history_list_per_page = 50

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = TamperProofAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return self.with_content_fieldsets(self.change_fieldsets if obj else self.fieldsets)

    def get_inlines(self, request, obj):
        return [ArticleUpdateInline] if obj else []

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        preview_view = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview_view, name=f"{prefix}_preview_new"),
            path("<path:object_id>/preview/", preview_view, name=f"{prefix}_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        return preview.preview_article(request, self, object_id)

    def save_model(self, request, obj, form, change):
        if change:
            obj._change_reason = form.cleaned_data["change_note"] or self.default_change_reason(request)
        super().save_model(request, obj, form, change)
        if change and form.is_update:
            obj.updates.create(date=obj.last_updated_on, note=form.cleaned_data["change_note"], editor=request.user)
        elif change:
            obj.sync_first_update()

    def default_change_reason(self, request):
        """What the revision list says about a save without a note: a minor edit, or a restore."""
        match = request.resolver_match
        if match.url_name == f"{self.opts.app_label}_{self.opts.model_name}_simple_history":
            return _("Restored revision %(revision)s") % {"revision": match.args[1]}
        return _("Minor edit")

    def save_formset(self, request, form, formset, change):
        for entry in formset.save(commit=False):
            if entry.editor_id is None and entry._state.adding:
                entry.editor = request.user
            entry.save()
        for entry in formset.deleted_objects:
            entry.delete()

    @admin.action(description=_("Mark selected articles as updated today"), permissions=["change"])
    def mark_updated_today(self, request, queryset):
        """Move "Last Updated On" to today, with an update history entry and a revision for each article."""
        today = timezone.localdate()
        updated = left_alone = 0
        with transaction.atomic():
            for article in queryset.select_for_update():
                if article.publication_date() > today or article.last_updated_on == today:
                    left_alone += 1
                    continue
                article.record_update(editor=request.user, date=today)
                updated += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d article marked as updated today.",
                "%(count)d articles marked as updated today.",
                updated,
            )
            % {"count": updated},
            messages.SUCCESS,
        )
        if left_alone:
            self.message_user(
                request,
                ngettext(
                    "%(count)d article was left as it is: already updated today, or not published yet.",
                    "%(count)d articles were left as they are: already updated today, or not published yet.",
                    left_alone,
                )
                % {"count": left_alone},
                messages.WARNING,
            )
