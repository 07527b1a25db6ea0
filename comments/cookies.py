"""What a commenter's browser keeps: their remembered details (for comments.js only), the signed list of the
comments it posted (which makes a returning commenter known), and the hint that it has comments awaiting
moderation."""

import json
from urllib.parse import quote

from django.core import signing

# Read by comments.js only: the name, email and website the reader asked this browser to remember.
REMEMBER_COOKIE = "comment_author"
REMEMBER_MAX_AGE = 365 * 24 * 60 * 60
# The browser's own comments (a signed list of their ids, newest last), which make a returning commenter known.
POSTED_COOKIE = "comments_posted"
POSTED_SALT = "comments.posted-from-this-browser"
POSTED_KEPT = 20
POSTED_MAX_AGE = 365 * 24 * 60 * 60
# A hint for comments.js, which cannot read the HttpOnly list above: the articles ("12.15") on which this browser
# has comments awaiting moderation. It proves nothing: comments.views.held_comments shows only what the signed
# list holds, and rewrites the hint as it finds things.
HELD_HINT_COOKIE = "comments_held"


def remember_author(response, request, form):
    """Keep the author's details in a cookie for comments.js when they ticked the box; forget them otherwise.

    Not HttpOnly: the reader's browser fills the form from it; the server never renders it into a page.
    """
    if form.cleaned_data["remember"]:
        response.set_cookie(
            REMEMBER_COOKIE,
            quote(json.dumps(form.remembered_author())),
            max_age=REMEMBER_MAX_AGE,
            secure=request.is_secure(),
            samesite="Lax",
        )
    else:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def posted_from_this_browser(request):
    """The ids of the comments this browser posted (its signed cookie; none if absent, altered or old)."""
    try:
        ids = signing.loads(request.COOKIES.get(POSTED_COOKIE, ""), salt=POSTED_SALT, max_age=POSTED_MAX_AGE)
    except signing.BadSignature:
        return []
    return [value for value in ids if isinstance(value, int)] if isinstance(ids, list) else []


def remember_posted(response, request, comment):
    """Add `comment` to the browser's signed list of its own comments (HttpOnly: only the server reads it), and,
    when it awaits moderation, its article to the hint that makes comments.js show it."""
    ids = [*posted_from_this_browser(request), comment.pk][-POSTED_KEPT:]
    response.set_cookie(
        POSTED_COOKIE,
        signing.dumps(ids, salt=POSTED_SALT),
        max_age=POSTED_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    if not comment.is_public:
        set_held_hint(response, request, int(comment.object_pk), held=True)


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
