"""The comment form most readers get, rendered once per article and filled in per request.

A reader who is not signed in, has no remembered details, no comment on hold and is not replying
gets the same form as every such reader, but for three values: the CSRF token, the form's
timestamp and its security hash. Rendering the form's widgets costs milliseconds; filling in three
values costs microseconds, which matters because the page cache renders this part per request.

A reader without a CSRF cookie (a first visit) gets no token at all: making one costs more than
the rest of a cached hit, and most readers never comment. The form is then the same for all of
them within a second, and is filled in once a second. comments.js fetches a token (``views.form_token``) when the reader
starts on the form; without JavaScript, the post is refused by CSRF and ``views.csrf_failure``
shows the form again, text kept, with a token, so one more press posts it.
"""

import time

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .forms import HELD_SESSION_KEY, REMEMBER_COOKIE, ArticleCommentForm, form_context
from .moderation import comments_open

CSRF_MARK = "CommentFormCsrfTokenMark"
TIMESTAMP_MARK = "CommentFormTimestampMark"
HASH_MARK = "CommentFormSecurityHashMark"
_rendered = {}  # (article pk, slug, comments open) -> (form, html with marks)
_without_token = {}  # the same key -> (second, html with no CSRF token)
_MAX_ENTRIES = 256


def is_blank_reader(request):
    """True when nothing about the reader changes their form (see the module docstring)."""
    if (request.META.get("QUERY_STRING") and request.GET.get("reply_to")) or REMEMBER_COOKIE in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # Neither signed in nor holding comments: no need to load a session.
    return not request.user.is_authenticated and not request.session.get(HELD_SESSION_KEY)


def serves_shared_form(request):
    """True when the reader sends no cookies and gets the blank form: nothing in it is theirs (no token)."""
    return not request.META.get("HTTP_COOKIE") and is_blank_reader(request)


def _marked_form(key, article):
    if key not in _rendered:
        if len(_rendered) >= _MAX_ENTRIES:
            _rendered.clear()
        form = ArticleCommentForm(article, initial={"reply_to": 0})
        form.initial.update(timestamp=TIMESTAMP_MARK, security_hash=HASH_MARK)
        context = {
            "article": article,
            "comments_open": key[2],
            "comment_form": form,
            "reply_to": None,
            "held_comments": [],
            "csrf_token": CSRF_MARK,
        }
        _rendered[key] = (form, render_to_string("comments/respond.html", context))
    return _rendered[key]


def _filled(form, html, token, timestamp):
    # The three values are a URL-safe token (or nothing), digits and a hex digest: nothing to escape.
    return mark_safe(
        html.replace(CSRF_MARK, token)
        .replace(TIMESTAMP_MARK, str(timestamp))
        .replace(HASH_MARK, form.initial_security_hash(timestamp))
    )


def render_blank_form(request, article):
    key = (article.pk, article.slug, comments_open(article))
    form, html = _marked_form(key, article)
    now = int(time.time())
    if "CSRF_COOKIE" in request.META:  # Set by CsrfViewMiddleware when the reader has a CSRF cookie.
        return _filled(form, html, get_token(request), now)
    filled_at, without_token = _without_token.get(key, (None, ""))
    if filled_at != now:
        if len(_without_token) >= _MAX_ENTRIES:
            _without_token.clear()
        without_token = _filled(form, html, "", now)
        _without_token[key] = (now, without_token)
    return without_token


def render_respond(request, article):
    """The reader's "Leave a Comment" part: their form (or "Reply to NAME") and their comments on hold.

    What comments/form.html renders; a page cache calls it directly for each reader.
    """
    if is_blank_reader(request):
        return render_blank_form(request, article)
    return render_to_string("comments/respond.html", form_context(request, article), request=request)
