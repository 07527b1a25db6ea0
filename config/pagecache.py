"""Public pages: one copy for every reader without a session, in Django's cache and in any HTTP cache.

A request without Django's session cookie is an anonymous reader: it gets the shared page, which never
touches the session, the user or the CSRF token (any of them would add `Vary: Cookie` or a cookie).
Its headers (`public, max-age=0, s-maxage=1` and an ETag) let nginx or a CDN keep it and revalidate
it every second; a 304 costs one cache read and no SQL. A request with a session cookie (an editor)
gets a fresh, private page.

Pages are stored with the site-wide version they were rendered at (`invalidate_site_pages()` moves it
on commit; one round trip reads both), under the canonical query (only the parameters the view names;
any other, such as utm_*, is ignored) and the day, so a page is at most a day old. Without the cache
(PAGE_CACHE off) or while it fails (Redis down), pages are rendered and get an ETag from their bytes,
as ConditionalGetMiddleware would.
"""

import hashlib
import logging
import re
import time
from functools import wraps
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
EXPIRES_KEY = "pagecache:expires"  # Unix time of the next change no save announces (a scheduled article).
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
# Headers a stored page leaves out: the cache's own. The middleware adds its headers on every request.
UNSTORED_HEADERS = {"cache-control", "etag", "expires", "vary", "content-length"}
# A version bump this process could not store (Redis down): until it is stored, the cache is not read.
_unsaved_bump = False


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _bump():
    global _unsaved_bump
    cache = page_cache()
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # No version yet (a new or emptied cache).
            cache.set(VERSION_KEY, time.time_ns(), None)
    except RedisError as error:
        _unsaved_bump = True
        logger.error("Page cache: the new site version was not stored (%r); pages render uncached.", error)
        return
    _unsaved_bump = False


def invalidate_site_pages():
    """Every cached public page is out of date once the current transaction commits (at once outside one)."""
    if settings.PAGE_CACHE:
        transaction.on_commit(_bump, robust=True)


def expire_site_pages_at(moment):
    """Pages change on their own at `moment` (an aware datetime, or None): a scheduled article appears,
    comments close. The first request after it moves the site version."""
    if moment is None or not settings.PAGE_CACHE:
        return
    try:
        cache = page_cache()
        known = cache.get(EXPIRES_KEY)
        if known is None or moment.timestamp() < known:
            cache.set(EXPIRES_KEY, moment.timestamp(), None)
    except RedisError as error:
        logger.error("Page cache: could not note the next scheduled change (%r).", error)


def site_version(*keys):
    """The current site version and whichever of the cache entries under `keys` exist, read with it in one
    round trip; raises RedisError when the cache cannot be used."""
    if _unsaved_bump:
        _bump()
        if _unsaved_bump:
            raise RedisError("the last site version is not stored yet")
    cache = page_cache()
    found = cache.get_many([VERSION_KEY, EXPIRES_KEY, *keys])
    version = found.pop(VERSION_KEY, None)
    expires = found.pop(EXPIRES_KEY, None)
    if expires is not None and expires <= time.time() and cache.delete(EXPIRES_KEY):
        _bump()
        version = None
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version, found


def has_session(request):
    """Whether the request carries Django's session cookie (editors, anyone signed in)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def canonical_query(request, params, page_params):
    """The query string of the page the request selects, from `params` only; raises Http404 for a URL that
    names one of them oddly (twice, in another case, %-encoded) or gives a page number that is not one:
    a shared cache keys on the raw names, so such a URL could otherwise store one page under another's key."""
    query = request.META.get("QUERY_STRING", "")
    seen = {}
    for pair in query.split("&") if query else ():
        raw_name, _, raw_value = pair.partition("=")
        name = unquote_plus(raw_name)
        if name.lower() not in params:
            continue  # Campaign tags and the like: the page does not depend on them.
        if name != raw_name or name not in params or name in seen:
            raise Http404("Not a page of this site.")
        if name in page_params and not PAGE_NUMBER.fullmatch(raw_value):
            raise Http404("No such page.")
        seen[name] = unquote_plus(raw_value)
    if seen.get("cpage") == "1":
        del seen["cpage"]  # The first page of comments is the page itself.
    return "&".join(f"{name}={seen[name]}" for name in sorted(seen))


def public_page(view, *, params=(), page_params=("page", "cpage", "p"), private_params=(), changes_at=None):
    """Serve `view` as a public page (see the module docstring) for GET/HEAD without a session cookie.

    `params` are the query parameters that select a page; `private_params` make the answer the reader's own
    (never stored: `private, no-store`), such as a held comment's moderation link. `changes_at()`, called when
    a page is stored, gives the next moment it changes with no save (see expire_site_pages_at).
    """
    params = frozenset(params)

    @wraps(view)
    def public_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or has_session(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if any(name in request.GET for name in private_params):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response
        query = canonical_query(request, params, page_params)
        if settings.PAGE_CACHE:
            try:
                return respond_through_cache(request, query, view, args, kwargs, changes_at)
            except RedisError as error:
                logger.error("Page cache unavailable (%r): rendering %s without it.", error, request.path)
        response = rendered(view(request, *args, **kwargs))
        if uses_reader_state(request):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        return conditional(request, make_public(response))

    return public_view


def uses_reader_state(request):
    """Whether rendering read the session or made a CSRF token: then the page is this reader's own."""
    session = getattr(request, "session", None)
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or (session is not None and session.accessed))


def rendered(response):
    """The response with its content (a TemplateResponse is rendered now, to be stored or hashed)."""
    if hasattr(response, "render"):
        response.render()
    return response


def make_public(response):
    """Headers for shared caches: keep it a moment (s-maxage), then revalidate with the ETag.

    nginx keeps a page until the end of the second its s-maxage ends in, so up to a second longer; it also
    honours X-Accel-Expires (and never passes it on), which here ends the page's life with its last whole
    second: a change then shows through nginx within PAGE_CACHE_SHARED_SECONDS, not up to twice that."""
    if response.status_code in (200, 304):
        seconds = settings.PAGE_CACHE_SHARED_SECONDS
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
        response["X-Accel-Expires"] = f"@{int(time.time()) + seconds - 1}"
        if not response.has_header("ETag"):
            set_response_etag(response)
    return response


def conditional(request, response):
    if response.status_code != 200:
        return response
    return get_conditional_response(request, etag=response.headers.get("ETag"), last_modified=None, response=response)


def respond_through_cache(request, query, view, args, kwargs, changes_at):
    """The stored page, if it was stored under the current site version; else the view's, stored.

    A page is kept under its URL (and the day) with the version it was rendered at, so the version and the
    page come in one round trip; an entry from an older version is simply rendered again and replaced."""
    cache = page_cache()
    day, seconds_into_day = divmod(int(time.time()), 86400)  # A page's signed form timestamp is at most a day old.
    key = "page:" + hashlib.sha256(f"{day}:{request.get_host()}{request.path}?{query}".encode()).hexdigest()
    version, found = site_version(key)
    etag = f'"{hashlib.sha256(f"{key}:{version}".encode()).hexdigest()[:32]}"'
    not_modified = get_conditional_response(request, etag=etag, response=HttpResponse(headers={"ETag": etag}))
    if not_modified.status_code == 304:
        return make_public(not_modified)
    stored_version, content, headers = found.get(key, (None, None, None))
    if stored_version != version:
        response = rendered(view(request, *args, **kwargs))
        if response.status_code != 200:
            return response
        if response.cookies or uses_reader_state(request):
            logger.error("Not caching %s: it used a cookie, the session or a CSRF token.", request.path)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        content = response.content
        headers = {name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS}
        cache.set(key, (version, content, headers), min(settings.PAGE_CACHE_TIMEOUT, 86400 - seconds_into_day))
        if changes_at is not None:
            expire_site_pages_at(changes_at())
    response = HttpResponse(content, headers=headers)
    response["ETag"] = etag
    return make_public(response)
