"""Our moderator for article comments: closes comments as the article says and holds suspicious ones."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models.functions import Lower
from django_comments_xtd.models import BlackListedDomain, XtdComment
from django_comments_xtd.moderation import XtdCommentModerator

from staff.access import staff_may

from .models import BlockedWord

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
# The browser's own comments (a signed list of their ids, newest last), which make a returning commenter known.
POSTED_COOKIE = "comments_posted"
POSTED_SALT = "comments.posted-from-this-browser"
POSTED_KEPT = 20
POSTED_MAX_AGE = 365 * 24 * 60 * 60
# A hint for comments.js, which cannot read the HttpOnly list above: the articles ("12.15") on which this browser
# has comments awaiting moderation. It proves nothing: comments.views.held_comments shows only what the signed
# list holds, and rewrites the hint as it finds things.
HELD_HINT_COOKIE = "comments_held"


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


def posted_from_this_browser(request):
    """The ids of the comments this browser posted (its signed cookie; none if absent, altered or old)."""
    try:
        ids = signing.loads(request.COOKIES.get(POSTED_COOKIE, ""), salt=POSTED_SALT, max_age=POSTED_MAX_AGE)
    except signing.BadSignature:
        return []
    return [value for value in ids if isinstance(value, int)] if isinstance(ids, list) else []


def remember_posted_comment(response, request, comment):
    """Add `comment` to the browser's signed list of its own comments (HttpOnly: only the server reads it)."""
    ids = [*posted_from_this_browser(request), comment.pk][-POSTED_KEPT:]
    response.set_cookie(
        POSTED_COOKIE,
        signing.dumps(ids, salt=POSTED_SALT),
        max_age=POSTED_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def is_known_commenter(comment, request):
    """Whether readers already see a comment by this commenter: one under the same email that this browser
    posted, or any under it when the address itself was just proven (a confirmation link). An email alone
    proves nothing: anyone can type an approved commenter's address."""
    shown = XtdComment.norel_objects.filter(user_email__iexact=comment.user_email, is_public=True, is_removed=False)
    if not getattr(request, "comment_email_confirmed", False):
        shown = shown.filter(pk__in=posted_from_this_browser(request) if request is not None else [])
    return shown.exists()


def hold_reasons(comment, request=None):
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
    if settings.COMMENTS_HOLD_FIRST_COMMENT and not is_known_commenter(comment, request):
        reasons.append("first comment")
    return reasons


class ArticleCommentModerator(XtdCommentModerator):
    email_notification = False

    def allow(self, comment, content_object, request):
        return content_object.comments_open()

    def moderate(self, comment, content_object, request):
        """Held for an editor unless posted by a moderator whose session may use that power (staff.access: verified
        by a second factor when one is required)."""
        posted_by_its_user = comment.user is not None and request is not None and request.user == comment.user
        if posted_by_its_user and staff_may(request, "django_comments.can_moderate"):
            return False
        return bool(hold_reasons(comment, request))

    def email(self, comment, content_object, request):
        """Called once a posted comment is stored (django_comments' post-save moderation step): a held one
        may be announced to editors (the mail is queued once the comment's transaction commits)."""
        # Imported here: comments.notifications needs comments.services, which imports this module (via .thread).
        from .notifications import notify_editors_of_held_comment

        stored = getattr(comment, "xtd_comment", None)  # The TmpXtdComment that services.publish stored.
        if isinstance(stored, XtdComment) and not stored.is_public and not stored.is_removed:
            notify_editors_of_held_comment(stored)


def held_hint(request):
    """The article ids in the browser's hint cookie (HELD_HINT_COOKIE); junk is ignored."""
    values = request.COOKIES.get(HELD_HINT_COOKIE, "").split(".")
    return [int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 12]


def set_held_hint(response, request, article_pk, *, held):
    """Add the article to the browser's hint that it has held comments there (`held`), or take it out."""
    ids = [pk for pk in held_hint(request) if pk != article_pk] + ([article_pk] if held else [])
    ids = ids[-POSTED_KEPT:]
    if ids:
        response.set_cookie(
            HELD_HINT_COOKIE,
            ".".join(map(str, ids)),
            max_age=POSTED_MAX_AGE,
            secure=request.is_secure(),
            samesite="Lax",
        )
    else:
        response.delete_cookie(HELD_HINT_COOKIE, samesite="Lax")
