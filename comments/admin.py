import django_comments_xtd.admin  # noqa: F401 (registers xtd's admin first, so ours can take its place)
from django.contrib import admin
from django.db.models import BigIntegerField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment

from blog.models import Article

from . import services
from .admin_forms import CommentAdminForm
from .models import BlockedWord
from .thread import recount_once_per_article

admin.site.unregister(XtdComment)
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


@admin.register(XtdComment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "author", "article_title", "submit_date", "status"]
    list_filter = [StatusFilter, "submit_date"]
    search_fields = ["comment", "user_name", "user_email"]
    date_hierarchy = "submit_date"
    ordering = ["-submit_date"]
    actions = ["approve", "remove", "mark_spam"]
    form = CommentAdminForm

    def get_queryset(self, request):
        title = Article.objects.filter(pk=Cast(OuterRef("object_pk"), BigIntegerField())).values("title")[:1]
        return XtdComment.norel_objects.annotate(article_title=Subquery(title))

    def has_add_permission(self, request):
        return False

    def delete_queryset(self, request, queryset):
        with recount_once_per_article():
            super().delete_queryset(request, queryset)

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.comment).chars(80)

    @admin.display(description=_("author"), ordering="user_name")
    def author(self, comment):
        return comment.user_name

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
        self._done(request, services.approve(comments=queryset, request=request), _("approved"))

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
