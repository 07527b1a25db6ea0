"""Our moderator for article comments: closes comments as the article says and holds suspicious ones."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models.functions import Lower
from django.utils import timezone
from django_comments_xtd.models import BlackListedDomain, XtdComment
from django_comments_xtd.moderation import XtdCommentModerator

from .models import BlockedWord

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def comments_open(article):
    """Whether readers may comment on the article now (switched on, and not past its closing day)."""
    if not article.allow_comments:
        return False
    closes_at = article.comments_close_at()
    return closes_at is None or timezone.now() < closes_at


def domain_and_parents(host):
    """["mail.spam.example", "spam.example", "example"]: a listed domain covers its subdomains too."""
    labels = host.lower().strip(".").split(".")
    return [".".join(labels[index:]) for index in range(len(labels)) if labels[index]]


def is_from_blocked_domain(comment):
    """Whether the comment's email domain or website host is on the blocked domains list (one query)."""
    hosts = [comment.user_email.rpartition("@")[2], urlsplit(comment.user_url or "").hostname or ""]
    candidates = {domain for host in hosts if host for domain in domain_and_parents(host)}
    if not candidates:
        return False
    return BlackListedDomain.objects.annotate(lower=Lower("domain")).filter(lower__in=candidates).exists()


def hold_reasons(comment):
    """Why a new comment should wait for an editor; empty when it may appear at once."""
    reasons = []
    if len(LINK.findall(comment.comment)) >= settings.COMMENTS_HOLD_LINK_COUNT:
        reasons.append("links")
    blocked = BlockedWord.objects.pattern()
    fields = (comment.comment, comment.user_name, comment.user_email, comment.user_url)
    if blocked and any(blocked.search(value or "") for value in fields):
        reasons.append("blocked word")
    if is_from_blocked_domain(comment):
        reasons.append("blocked domain")
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

    def email(self, comment, content_object, request):
        """Called once a posted comment is stored (django_comments' post-save moderation step): a held one
        may be announced to editors (the mail is queued once the comment's transaction commits)."""
        # Imported here: comments.notifications needs comments.services, which imports this module (via .thread).
        from .notifications import notify_editors_of_held_comment

        stored = getattr(comment, "xtd_comment", None)  # The TmpXtdComment that services.publish stored.
        if isinstance(stored, XtdComment) and not stored.is_public and not stored.is_removed:
            notify_editors_of_held_comment(stored)
