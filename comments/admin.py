import django_comments_xtd.admin  # noqa: F401 (registers xtd's admin first, so ours can take its place)
from django.contrib import admin
from django.db.models import BigIntegerField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_comments.models import CommentFlag
from django_comments_xtd.models import BlackListedDomain, XtdComment

from blog.dates import admin_date
from blog.models import Article
from config.admin import RoomyChangeListMixin

from . import services
from .admin_forms import BlockedDomainForm, CommentAdminForm
from .links import held_comments_path
from .models import BlockedWord
from .queries import held_comments
from .totals import recount_once_per_article

admin.site.unregister(XtdComment)
admin.site.unregister(BlackListedDomain)
# Flagging is switched off for articles, so its admin would only confuse editors.
if admin.site.is_registered(CommentFlag):
    admin.site.unregister(CommentFlag)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"
    STATUSES = {
        "approved": {"is_public": True, "is_removed": False},
        "held": {"is_public": False, "is_removed": False},
        "removed": {"is_public": True, "is_removed": True},
        "spam": {"is_public": False, "is_removed": True},
    }

    def lookups(self, request, model_admin):
        return [
            ("held", _("Awaiting moderation")),
            ("approved", _("Approved")),
            ("removed", _("Removed")),
            ("spam", _("Spam")),
        ]

    def queryset(self, request, queryset):
        if self.value() in self.STATUSES:
            return queryset.filter(**self.STATUSES[self.value()])
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    """The comments on one article (from the article list's "held" links); offered only once chosen."""

    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not value.isdigit():
            return []
        return [(str(pk), title) for pk, title in Article.objects.filter(pk=value).values_list("pk", "title")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(object_pk=self.value())
        return queryset


@admin.register(XtdComment)
class CommentAdmin(RoomyChangeListMixin, admin.ModelAdmin):
    list_display = ["excerpt", "author", "in_reply_to", "article_title", "submitted", "status"]
    list_filter = [StatusFilter, ArticleFilter, "submit_date"]
    search_fields = ["comment", "user_name", "user_email"]
    date_hierarchy = "submit_date"
    ordering = ["-submit_date"]
    actions = ["approve", "remove", "mark_spam"]
    form = CommentAdminForm

    def get_queryset(self, request):
        title = Article.objects.filter(pk=Cast(OuterRef("object_pk"), BigIntegerField())).values("title")[:1]
        parent_name = XtdComment.norel_objects.filter(pk=OuterRef("parent_id")).values("user_name")[:1]
        return XtdComment.norel_objects.annotate(
            article_title=Subquery(title),
            parent_name=Subquery(parent_name),
            is_reply=~Q(parent_id=F("pk")),
        )

    def has_add_permission(self, request):
        return False

    def index_notice(self, request):
        """What the admin index says about moderation (config.admin.BlogAdminSite.index shows it)."""
        if not self.has_view_or_change_permission(request):
            return None
        count = held_comments().count()
        if not count:
            return _("No comments are awaiting moderation.")
        waiting = ngettext(
            "%(count)d comment is awaiting moderation", "%(count)d comments are awaiting moderation", count
        ) % {"count": count}
        return format_html('<a href="{}">{}</a>', held_comments_path(), waiting)

    def delete_queryset(self, request, queryset):
        with recount_once_per_article():
            super().delete_queryset(request, queryset)

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.comment).chars(80)

    @admin.display(description=_("author"), ordering="user_name")
    def author(self, comment):
        return comment.user_name

    @admin.display(description=_("submitted"), ordering="submit_date")
    def submitted(self, comment):
        """In the admin's date format and the site's time zone: 04/08/2016 16:30."""
        return admin_date(comment.submit_date)

    @admin.display(description=_("in reply to"), ordering="is_reply")
    def in_reply_to(self, comment):
        """ "—" for a comment that starts a thread; else the replied-to comment's author, linked to it."""
        if not comment.is_reply:
            return "—"
        parent_url = reverse("admin:django_comments_xtd_xtdcomment_change", args=[comment.parent_id])
        return format_html('Reply to <a href="{}">{}</a>', parent_url, comment.parent_name or _("a deleted comment"))

    @admin.display(description=_("article"), ordering="article_title")
    def article_title(self, comment):
        return comment.article_title

    @admin.display(description=_("status"))
    def status(self, comment):
        if comment.is_removed:
            return _("Removed") if comment.is_public else _("Spam")
        return _("Approved") if comment.is_public else _("Awaiting moderation")

    def _done(self, request, count, action):
        message = ngettext("%(count)d comment %(action)s.", "%(count)d comments %(action)s.", count)
        self.message_user(request, message % {"count": count, "action": action})

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._done(request, services.approve(comments=queryset), _("approved"))

    @admin.action(description=_("Remove selected comments"), permissions=["change"])
    def remove(self, request, queryset):
        self._done(request, services.remove(comments=queryset), _("removed"))

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._done(request, services.mark_spam(comments=queryset), _("marked as spam"))


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created"]
    search_fields = ["word"]


@admin.register(BlackListedDomain)
class BlockedDomainAdmin(admin.ModelAdmin):
    """django-comments-xtd's list, read by comments.moderation: comments from these domains are held."""

    form = BlockedDomainForm
    list_display = ["domain"]
    search_fields = ["domain"]
