"""The moderation policy for article comments: which new comments wait for an editor."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models.functions import Lower
from django_comments_xtd.models import BlackListedDomain, XtdComment

from staff.access import staff_may

from .cookies import posted_from_this_browser
from .models import BlockedWord

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


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


def is_known_commenter(comment, request, *, email_confirmed=False):
    """Whether readers already see a comment by this commenter: one under the same email that this browser
    posted, or any under it when the address itself was just proven (`email_confirmed`: a confirmation link).
    An email alone proves nothing: anyone can type an approved commenter's address."""
    shown = XtdComment.norel_objects.filter(user_email__iexact=comment.user_email, is_public=True, is_removed=False)
    if not email_confirmed:
        shown = shown.filter(pk__in=posted_from_this_browser(request) if request is not None else [])
    return shown.exists()


def hold_reasons(comment, request=None, *, email_confirmed=False):
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
    if settings.COMMENTS_HOLD_FIRST_COMMENT and not is_known_commenter(
        comment, request, email_confirmed=email_confirmed
    ):
        reasons.append("first comment")
    return reasons


def must_wait(comment, request, *, email_confirmed=False):
    """Whether a new comment waits for an editor: never when a moderator posts it from a session that may use
    that power (staff.access: verified by a second factor when one is required), else when there are hold
    reasons."""
    posted_by_its_user = comment.user is not None and request is not None and request.user == comment.user
    if posted_by_its_user and staff_may(request, "django_comments.can_moderate"):
        return False
    return bool(hold_reasons(comment, request, email_confirmed=email_confirmed))
