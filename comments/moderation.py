"""Our moderator for article comments: closes comments as the article says and holds suspicious ones."""

import re

from django.conf import settings
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from django_comments_xtd.moderation import XtdCommentModerator

from .models import BlockedWord

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def comments_open(article):
    """Whether readers may comment on the article now (switched on, and not past its closing day)."""
    if not article.allow_comments:
        return False
    closes_at = article.comments_close_at()
    return closes_at is None or timezone.now() < closes_at


def hold_reasons(comment):
    """Why a new comment should wait for an editor; empty when it may appear at once."""
    reasons = []
    if len(LINK.findall(comment.comment)) >= settings.COMMENTS_HOLD_LINK_COUNT:
        reasons.append("links")
    blocked = BlockedWord.objects.pattern()
    fields = (comment.comment, comment.user_name, comment.user_email, comment.user_url)
    if blocked and any(blocked.search(value or "") for value in fields):
        reasons.append("blocked word")
    if settings.COMMENTS_HOLD_FIRST_COMMENT and not (
        XtdComment.norel_objects.filter(
            user_email__iexact=comment.user_email, is_public=True, is_removed=False
        ).exists()
    ):
        reasons.append("first comment")
    return reasons


class ArticleCommentModerator(XtdCommentModerator):
    email_notification = False

    def allow(self, comment, content_object, request):
        return comments_open(content_object)

    def moderate(self, comment, content_object, request):
        user = comment.user
        if user is not None and user.is_authenticated and user.has_perm("django_comments.can_moderate"):
            return False
        return bool(hold_reasons(comment))
