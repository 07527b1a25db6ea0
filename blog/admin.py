from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_comments_xtd.models import XtdComment
from simple_history.admin import SimpleHistoryAdmin

from config.admin import RoomyChangeListMixin

from . import review
from .content_admin import ArticleContentAdminMixin, SafeAutocompleteSelect
from .dates import admin_date
from .forms import ArticleAdminForm, ArticleUpdateForm, ArticleUpdateFormSet, ChangeKind, ReviewAction
from .history_diff import ReadableHistoryMixin
from .models import Article, ArticleUpdate
from .preview import PreviewAdminMixin


class ArticleUpdateInline(admin.TabularInline):
    """The public update history, for corrections; updates themselves are made with the "Update" save."""

    model = ArticleUpdate
    form = ArticleUpdateForm
    formset = ArticleUpdateFormSet
    fields = ["date", "note", "editor"]
    readonly_fields = ["editor"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("editor")


@admin.register(Article)
class ArticleAdmin(
    PreviewAdminMixin, ArticleContentAdminMixin, RoomyChangeListMixin, ReadableHistoryMixin, SimpleHistoryAdmin
):
    form = ArticleAdminForm
    # Six short columns, so the list fits a 1280 px screen beside its filters (with RoomyChangeListMixin).
    list_display = ["title", "author", "publication_status", "publication_date", "last_updated", "comments"]
    list_filter = ["status", "allow_comments", "author", "last_updated_on"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body", "author__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author"]
    actions = ["mark_updated_today"]
    readonly_fields = ["review_note"]
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
    preview_template = "blog/article_detail.html"

    class Media:
        js = ["js/admin-calendar-today.js", "js/admin-select2-labels.js"]

    object_history_list_template = "admin/blog/article/object_history_list.html"

    @admin.display(description=_("status"), ordering="status")
    def publication_status(self, article):
        """Draft, Published, or Scheduled (published, but not visible to readers yet)."""
        if article.status == Article.Status.PUBLISHED and not article.is_published():
            return _("Scheduled")
        return article.get_status_display()

    @admin.display(description=_("publication date"), ordering="published_at")
    def publication_date(self, article):
        return admin_date(article.publication_date())

    @admin.display(description=_("Last Updated On"), ordering="last_updated_on")
    def last_updated(self, article):
        return admin_date(article.last_updated_on)

    @admin.display(description=_("comments"), ordering="comment_count")
    def comments(self, article):
        """The comments readers see (the stored total), and a link to the ones awaiting moderation."""
        if not article.held_comment_count:
            return article.comment_count
        held = ngettext("%(count)d held", "%(count)d held", article.held_comment_count) % {
            "count": article.held_comment_count
        }
        # The comment list's own filters (comments.admin): held comments, on this article.
        held_url = reverse("admin:django_comments_xtd_xtdcomment_changelist") + f"?status=held&article={article.pk}"
        return format_html('{} · <a href="{}">{}</a>', article.comment_count, held_url, held)

    def get_queryset(self, request):
        held = (
            XtdComment.norel_objects.filter(
                object_pk=Cast(OuterRef("pk"), CharField()), is_public=False, is_removed=False
            )
            .order_by()
            .values("object_pk")
            .annotate(count=Count("pk"))
            .values("count")
        )
        articles = super().get_queryset(request).annotate(held_comment_count=Subquery(held))
        return articles if self.reviews(request) else articles.written_by(request.user)

    # Who may do what (staff.roles): a reviewer (Editors) every article; anyone else only the articles of the
    # author profile linked to their account, and, without the right to publish, only while readers cannot see
    # them. Enforced here, on every view and on saving, not by hiding buttons (plain methods: four short rules).
    def reviews(self, request):
        return request.user.has_perm("blog.review_article")

    def publishes(self, request):
        return request.user.has_perm("blog.publish_article")

    def owns(self, request, article):
        return article.author.user_id is not None and article.author.user_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self.reviews(request) or self.owns(request, obj))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (self.reviews(request) or hasattr(request.user, "author"))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.reviews(request):
            return True
        return self.owns(request, obj) and (self.publishes(request) or obj.status != Article.Status.PUBLISHED)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.has_change_permission(request, obj)

    def has_publish_permission(self, request):
        return self.publishes(request)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # A class made for this request (modelform_factory): its rules follow who saves.
        return form

    def get_autocomplete_fields(self, request):
        # One who writes only as themselves picks from a plain list of their own profile.
        return self.autocomplete_fields if self.reviews(request) else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author" and not self.reviews(request):
            kwargs["queryset"] = db_field.related_model.objects.filter(user=request.user)
            kwargs["empty_label"] = None
        elif db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = self.change_fieldsets if obj else self.fieldsets
        if obj is not None and obj.review_note and obj.status == Article.Status.DRAFT:
            fieldsets = [(_("Sent back by the editor"), {"fields": ["review_note"]}), *fieldsets]
        if obj is not None and obj.status == Article.Status.PENDING and self.reviews(request):
            fieldsets = [*fieldsets, (_("Review"), {"fields": ["send_back_note"]})]
        return self.with_content_fieldsets(fieldsets)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        status = obj.status if obj is not None else Article.Status.DRAFT
        context["review_buttons"] = [
            action
            for action, shown in [
                (ReviewAction.SUBMIT, status == Article.Status.DRAFT and not self.publishes(request)),
                (ReviewAction.SEND_BACK, status == Article.Status.PENDING and self.reviews(request)),
            ]
            if shown and (add or self.has_change_permission(request, obj))
        ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def index_notice(self, request):
        """What the admin index tells a reviewer: articles waiting for review (config.admin.BlogAdminSite.index)."""
        if not self.reviews(request):
            return None
        count = Article.objects.awaiting_review().count()
        if not count:
            return _("No articles are awaiting review.")
        waiting = ngettext("%(count)d article is awaiting review", "%(count)d articles are awaiting review", count) % {
            "count": count
        }
        return format_html('<a href="{}">{}</a>', review.awaiting_review_path(), waiting)

    def get_inlines(self, request, obj):
        return [ArticleUpdateInline] if obj else []

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision saves like the change form: in one transaction, which the conflict check's
        row lock needs (django-simple-history's view has none; Django's change view has its own)."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def preview_context(self, article):
        return {"article": article, "object": article}

    def save_model(self, request, obj, form, change):
        if obj.status == Article.Status.PUBLISHED and not self.publishes(request):
            raise PermissionDenied  # The form refuses it already: this is the last line.
        submitted = obj.status == Article.Status.PENDING and form.initial.get("status") != Article.Status.PENDING
        review_step = review.describe_step(form, submitted=submitted)
        if change:
            obj._change_reason = "; ".join(filter(None, [review_step, self.change_reason(request, form)]))
        elif review_step:
            obj._change_reason = review_step
        super().save_model(request, obj, form, change)
        if submitted:
            review.notify_reviewers(obj, submitted_by=request.user)
        if change and form.is_update:
            obj.updates.create(date=obj.last_updated_on, note=form.cleaned_data["change_note"], editor=request.user)
        elif change and not form.was_published:
            obj.sync_first_update()  # Readers have not seen its history yet: its first entry follows the date.

    def change_reason(self, request, form):
        """What the History page says about a save: restored from which revision, and what kind of save."""
        note = form.cleaned_data["change_note"]
        match = request.resolver_match
        parts = []
        if match.url_name == f"{self.opts.app_label}_{self.opts.model_name}_simple_history":
            parts.append(_("Restored revision %(revision)s") % {"revision": match.args[1]})
        if form.kind_of_save == ChangeKind.UPDATE:
            parts.append(note)
        elif form.kind_of_save == ChangeKind.CORRECTION:
            correction = _("Date correction: “Last Updated On” %(old)s → %(new)s") % {
                "old": admin_date(form.initial["last_updated_on"]),
                "new": admin_date(form.cleaned_data["last_updated_on"]),
            }
            parts.append(f"{correction} ({note})" if note else correction)
        elif not parts:
            parts.append(_("Minor edit"))
        return "; ".join(str(part) for part in parts)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            self.record_update_history_edits(form.instance, formsets)

    def record_update_history_edits(self, article, formsets):
        """Entries edited by hand in the inline are named in this save's revision, so the History page tells."""
        edits = []
        for formset in formsets:
            if formset.model is ArticleUpdate:
                edits += [_("added %(entry)s") % {"entry": entry} for entry in formset.new_objects]
                edits += [_("changed %(entry)s") % {"entry": entry} for entry, fields in formset.changed_objects]
                edits += [_("deleted %(entry)s") % {"entry": entry} for entry in formset.deleted_objects]
        revision = article.history.first()
        if edits and revision is not None:
            edited = _("update history edited: %(edits)s") % {"edits": ", ".join(str(edit) for edit in edits)}
            revision.history_change_reason = f"{revision.history_change_reason}; {edited}"
            revision.save(update_fields=["history_change_reason"])

    def save_formset(self, request, form, formset, change):
        for entry in formset.save(commit=False):
            if entry.editor_id is None and entry._state.adding:
                entry.editor = request.user
            entry.save()
        for entry in formset.deleted_objects:
            entry.delete()

    @admin.action(description=_("Mark selected articles as updated today"), permissions=["publish"])
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
