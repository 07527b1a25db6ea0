"""Public pages: one copy for every reader without a session, in Django's cache and in any HTTP cache.

A request without Django's session cookie is an anonymous reader: it gets the shared page, which never
touches the session, the user or the CSRF token (any of them would add `Vary: Cookie` or a cookie).
Its headers (`public, max-age=0, s-maxage=1` and an ETag) let nginx or a CDN keep it and revalidate
it every second; a 304 costs one cache round trip and no SQL. A request with a session cookie (an editor)
gets a fresh, private page. A held comment's private link (`?unapproved=`) is private too, on every page.

A page is stored under its host, path and canonical query (only the parameters the view names; any other,
such as utm_*, is ignored) with the cache tags it declared (config.cachetags) and the moment its rendering
began. It is served while none of its tags was invalidated after that moment. This process remembers each
page's tags, so one round trip reads the page and the times of its tags (a page this process has not seen
yet may take a second). Entries live PAGE_CACHE_TIMEOUT less up to a fifth, so they do not all expire at
once, and no longer than the page says it changes by itself (`changes_at`: a scheduled article appears,
comments close). Without the cache (PAGE_CACHE off) or while it fails (Redis down), pages are rendered and
get an ETag from their bytes, as ConditionalGetMiddleware would.
"""

import hashlib
import logging
import random
import re
import time
from functools import wraps
from typing import NamedTuple
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from redis.exceptions import RedisError

from . import frontcache
from .cachetags import public_tags, tag_key

logger = logging.getLogger(__name__)

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
# A held comment's private link: the page then shows that reader's own comment, never to be shared.
PRIVATE_PARAMS = frozenset({"unapproved", "moderation-hash"})
# Headers a stored page leaves out: the cache's own. The middleware adds its headers on every request.
UNSTORED_HEADERS = {"cache-control", "etag", "expires", "vary", "content-length"}
REMEMBERED_PAGES = 10_000  # Pages whose tags this process remembers (about 1 MB); forgotten all at once.
_tags_of_page = {}


class StoredPage(NamedTuple):
    rendered_at: int  # time.time_ns() as rendering began, before its first query.
    expires_at: float  # time.time() when the page changes on its own (by this server's clock, as rendered_at).
    tags: tuple
    etag: str
    content: bytes
    headers: dict


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


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


def public_page(view, *, params=(), page_params=("page", "cpage", "p"), changes_at=None, stored=True):
    """Serve `view` as a public page (see the module docstring) for GET/HEAD without a session cookie.

    `params` are the query parameters that select a page. `changes_at(response)`, called when a page is
    stored, gives the next moment it changes with no save, or None. `stored=False` keeps the pages out of
    Django's cache (search: any text makes a new page), still with the headers shared caches use.
    """
    params = frozenset(params)

    @wraps(view)
    def public_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or has_session(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if not PRIVATE_PARAMS.isdisjoint(request.GET):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response
        query = canonical_query(request, params, page_params)
        if settings.PAGE_CACHE and stored:
            try:
                return respond_through_cache(request, query, view, args, kwargs, changes_at)
            except RedisError as error:
                logger.error("Page cache unavailable (%r): rendering %s without it.", error, request.path)
        response = rendered(view(request, *args, **kwargs))
        if uses_reader_state(request):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        return conditional(request, make_public(response))

    if stored:  # RevalidationMiddleware answers revalidations of this view's stored pages.
        public_view.page_query = lambda request: canonical_query(request, params, page_params)
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


def make_public(response, keep_until=None):
    """Headers for shared caches: keep it a moment (s-maxage), then revalidate with the ETag.

    nginx honours X-Accel-Expires before Cache-Control (and never passes it on). A page that nginx is told to
    refresh when it changes (config.frontcache) is kept there until `keep_until` (when it changes on its own),
    for at most PAGE_CACHE_REFRESHED_SECONDS; any other page to the end of its s-maxage's last whole second, as
    nginx keeps a page until the end of the second it expires in."""
    if response.status_code in (200, 304):
        seconds = settings.PAGE_CACHE_SHARED_SECONDS
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
        now = int(time.time())
        until = now + seconds - 1
        if keep_until is not None and frontcache.enabled():
            until = max(until, min(int(keep_until) - 1, now + settings.PAGE_CACHE_REFRESHED_SECONDS))
        response["X-Accel-Expires"] = f"@{until}"
        if response.status_code == 200:
            public_tags(response)
        if not response.has_header("ETag"):
            set_response_etag(response)
    return response


def conditional(request, response):
    if response.status_code != 200:
        return response
    return get_conditional_response(request, etag=response.headers.get("ETag"), last_modified=None, response=response)


def respond_through_cache(request, query, view, args, kwargs, changes_at):
    """The stored page while it is fresh (a 304 if the reader has it already); else the view's, stored."""
    cache = page_cache()
    key = page_key(request, query)
    page = fresh_page(cache, key)
    if page is None:
        started = time.time_ns()
        response = rendered(view(request, *args, **kwargs))
        if response.status_code != 200:
            return response
        if response.cookies or uses_reader_state(request):
            logger.error("Not caching %s: it used a cookie, the session or a CSRF token.", request.path)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        page = store(cache, key, started, response, changes_at(response) if changes_at else None)
        if page is None:
            return conditional(request, make_public(response))
        if frontcache.enabled():
            frontcache.record(request, query, page.tags)
    if (answer := not_modified(request, page)) is not None:
        return answer
    response = HttpResponse(page.content, headers=page.headers)
    response["ETag"] = page.etag
    return make_public(response, keep_until=page.expires_at)


def page_key(request, query):
    return "page:" + hashlib.sha256(f"{request.get_host()}{request.path}?{query}".encode()).hexdigest()


def not_modified(request, page):
    """A 304 for a reader (or shared cache) whose copy is `page`, else None."""
    answer = get_conditional_response(request, etag=page.etag, response=HttpResponse(headers={"ETag": page.etag}))
    return make_public(answer, keep_until=page.expires_at) if answer.status_code == 304 else None


class RevalidationMiddleware:
    """A revalidation of a stored public page (If-None-Match, no session cookie) answered with its 304 before the
    session, CSRF, authentication and other middleware below it run; anything else goes on as usual.

    Why not just the view: nginx revalidates every page every second, all pages as the same second turns, and
    holds each reader's connection until its revalidation is answered. The cache read is a small part of such a
    request's work; the session, CSRF and authentication middleware would be most of how long readers wait."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.answer_from_cache(request) or self.get_response(request)

    def answer_from_cache(self, request):
        if not (settings.PAGE_CACHE and request.method in ("GET", "HEAD") and "HTTP_IF_NONE_MATCH" in request.META):
            return None
        if has_session(request) or not PRIVATE_PARAMS.isdisjoint(request.GET):
            return None
        try:
            page_query = getattr(resolve(request.path_info).func, "page_query", None)
            page = page_query and fresh_page(page_cache(), page_key(request, page_query(request)))
        except (Resolver404, Http404, RedisError):
            return None
        return page and not_modified(request, page)


def fresh_page(cache, key):
    """The page stored under `key` if none of its tags was invalidated since it was rendered, else None.

    One round trip reads the page and the times of the tags this process last saw it with; a page whose tags
    differ (new to this process, or re-tagged) costs a second one for the others."""
    remembered = _tags_of_page.get(key, ())
    found = cache.get_many([key, *map(tag_key, remembered)])
    page = found.pop(key, None)
    if page is None:
        return None
    page = StoredPage(*page)
    if page.tags != remembered:
        remember_tags(key, page.tags)
        found.update(cache.get_many([tag_key(tag) for tag in page.tags if tag not in remembered]))
    times = [found.get(tag_key(tag)) for tag in page.tags]
    if None in times:  # A tag's time was lost (evicted, or the cache emptied): it may have changed since.
        return None
    return page if max(times) < page.rendered_at and time.time() < page.expires_at else None


def store(cache, key, started, response, changes_at):
    """Keep the rendered `response`, begun at `started`, under `key` with its tags; return it as stored, or None
    when it is not kept: it changes on its own within a second, or something it shows changed while it rendered."""
    tags = tuple(public_tags(response))
    headers = {name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS}
    etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    lifetime = settings.PAGE_CACHE_TIMEOUT * random.uniform(0.8, 1.0)
    if changes_at is not None and changes_at > timezone.now():  # A moment past (comments closed) changes nothing.
        lifetime = min(lifetime, (changes_at - timezone.now()).total_seconds())
    page = StoredPage(started, time.time() + lifetime, tags, etag, response.content, headers)
    if lifetime < 1:
        return None
    known = cache.get_many([tag_key(tag) for tag in tags])
    if any(changed >= started for changed in known.values()):
        return None
    for tag in tags:
        if tag_key(tag) not in known:  # Never invalidated (or evicted): unchanged since before this render.
            cache.add(tag_key(tag), started - 1, None)
    cache.set(key, tuple(page), int(lifetime) + 1)
    remember_tags(key, tags)
    return page


def remember_tags(key, tags):
    if len(_tags_of_page) >= REMEMBERED_PAGES:
        _tags_of_page.clear()
    _tags_of_page[key] = tags
