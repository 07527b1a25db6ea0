"""Page cache for anonymous readers that is never stale.

Pages are cached under keys that contain the current *version* of everything they show:

- ``site``: the Site (its name is in every page's header);
- ``listing``: every article and author, for the home page and the author pages;
- ``article:<slug>``: one article page: the article, its author and its comments.

Saving or deleting any of those objects gives the matching scopes a new random version
(see ``connect_receivers`` and ``page_versions``), so the next reader computes a new key and
renders afresh; old entries are never read again and simply expire. Versions are read *before*
the database, and bumped both at once and again when the transaction commits, so a render
that raced with an edit is stored under a key nobody asks for any more.

Per-reader parts never enter the cache: the page is rendered with ``comments/form.html``
replaced by a marker and stored as the encoded bytes on either side of it; each request renders
that part (CSRF token, signed timestamp, remembered name, held comments) and joins them with it.
"""

import datetime
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.engine import Engine
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import http_date
from redis.exceptions import RedisError

from .page_versions import current_versions, invalidate, page_cache

SITE = "site"
LISTING = "listing"
logger = logging.getLogger(__name__)
PER_READER_TEMPLATE = "comments/form.html"
PER_READER_MARKER = "<!-- page-cache: per-reader comments/form.html -->"
# Query parameters that never change a page (campaign tags); any other unknown one bypasses the cache.
IGNORED_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$")
PAGE_NUMBER = re.compile(r"^(\d{1,6}|last)$")


CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
cached_http_date = lru_cache(maxsize=256)(http_date)  # A page's Last-Modified, formatted once per process.


def article_scope(slug):
    return f"article:{slug}"


def signed_in(request):
    """Whether the reader is signed in; without a session cookie they cannot be, and no session is loaded."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


# --- Rendering the shared part --------------------------------------------------


@cache
def shared_templates():
    """The project's template engine, except that the per-reader template renders as a marker."""
    default = engines["django"].engine
    return DjangoTemplates(
        {
            "NAME": "page-cache-shared",
            "DIRS": default.dirs,
            "APP_DIRS": False,
            "OPTIONS": {
                "context_processors": default.context_processors,
                "debug": default.debug,
                "string_if_invalid": default.string_if_invalid,
                "file_charset": default.file_charset,
                "autoescape": default.autoescape,
                "libraries": default.libraries,
                "builtins": [name for name in default.builtins if name not in Engine.default_builtins],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {PER_READER_TEMPLATE: PER_READER_MARKER}),
                    *default.loaders,
                ],
            },
        }
    )


@receiver(setting_changed)
def reset_shared_templates(*, setting, **kwargs):
    if setting == "TEMPLATES":
        shared_templates.cache_clear()


@dataclass(frozen=True)
class CachedPage:
    FORMAT = 2  # Part of the cache key: raise it when the fields change, so no deploy unpickles old entries.

    # The page's bytes, split where the per-reader part goes (one piece when it has none).
    parts: tuple[bytes, ...]
    expires_at: float  # Unix time: the shared cache forgets the entry then, and so must RecentPages.
    last_modified: float | None = None
    # The object the per-reader fragment is rendered for (the article), so a hit needs no query.
    object: Any = None

    @classmethod
    def from_content(cls, content, **fields):
        """From the rendered page's bytes (UTF-8), split at the per-reader marker."""
        return cls(parts=tuple(content.split(PER_READER_MARKER.encode(), 1)), **fields)

    def digest(self):
        return hashlib.sha256(b"".join(self.parts)).hexdigest()

    @property
    def size(self):
        return sum(len(part) for part in self.parts)


class RecentPages:
    """This process's most recently served entries, by versioned key, up to a total size.

    A hit then needs no unpickling and, with versions known in memory (``page_versions``), no
    round trip at all. The key holds the versions, so an entry found here is exactly as fresh
    as one from the shared cache.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.entries = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry.expires_at <= time.time():
                self.size -= self.entries.pop(key).size
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.size += entry.size
            while self.size > self.max_bytes and self.entries:
                _, oldest = self.entries.popitem(last=False)
                self.size -= oldest.size


recent_pages = RecentPages(max_bytes=32 * 1024 * 1024)


# --- The view mixin -------------------------------------------------------------


class PageCacheMixin:
    """Serve anonymous GET/HEAD requests from the page cache; signed-in users get a fresh page.

    Subclasses name the query parameters that select a page (``page_cache_params``), the
    scopes the page shows (``page_cache_scopes``) and may give a Last-Modified time and the
    next moment the page changes on its own (``page_last_modified``, ``page_changes_at``).
    """

    page_cache_params = ()
    has_per_reader_part = False
    rendering_shared_part = False

    def page_cache_scopes(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must say which scopes its page shows.")

    def page_last_modified(self):
        return None

    def page_changes_at(self):
        return None

    def render_page(self, request, *args, **kwargs):
        """The view's own GET: the page rendered from the database."""
        return super().get(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if signed_in(request):
            response = self.render_page(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        params = self.page_cache_selection()
        if params is not None and settings.PAGE_CACHE:
            try:
                return self.respond_through_cache(request, params, *args, **kwargs)
            except RedisError as error:
                logger.error("Page cache unavailable (%r): rendering %s without it.", error, request.path)
        return self.respond_uncached(request, *args, **kwargs)

    def respond_uncached(self, request, *args, **kwargs):
        entry = self.render_shared_part(request, *args, **kwargs)
        if isinstance(entry, HttpResponse):
            return entry
        return self.respond_from(entry, digest=entry.digest())

    def page_cache_key(self, params, cache):
        """The entry's key (the path, the selecting parameters, the scopes' current versions) and its digest."""
        versions = current_versions([SITE, *self.page_cache_scopes()], cache)
        digest = hashlib.sha256(f"{self.request.path}?{params}#{versions}".encode()).hexdigest()
        return f"page:{CachedPage.FORMAT}:{digest}", digest

    def respond_from_memory(self, params):
        """The page from this process's recent entries, or None (see PageCacheMiddleware)."""
        key, digest = self.page_cache_key(params, page_cache())
        entry = recent_pages.get(key)
        return None if entry is None else self.respond_from(entry, digest=digest)

    def respond_through_cache(self, request, params, *args, **kwargs):
        cache = page_cache()
        key, digest = self.page_cache_key(params, cache)
        entry = recent_pages.get(key) or cache.get(key)
        if entry is None:
            entry = self.render_shared_part(request, *args, **kwargs)
            if isinstance(entry, HttpResponse):
                return entry
            if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                # A CSRF token outside comments/form.html: caching it would hand this reader's token to all.
                logger.warning("Not caching %s: it uses a CSRF token outside %s.", request.path, PER_READER_TEMPLATE)
                return self.respond_from(entry, digest=entry.digest())
            cache.set(key, entry, max(1, int(entry.expires_at - time.time())))
        recent_pages.put(key, entry)
        if not request.META.get("HTTP_COOKIE"):
            cookieless_pages.remember(request, type(self), args, kwargs, params)
        return self.respond_from(entry, digest=digest)

    def render_shared_part(self, request, *args, **kwargs):
        """The page as every reader sees it, or the response itself when it is not a 200."""
        self.rendering_shared_part = True
        response = self.render_page(request, *args, **kwargs)
        self.rendering_shared_part = False
        if response.status_code != 200:
            return response
        response.render()
        return CachedPage.from_content(
            response.content,
            expires_at=time.time() + self.cache_timeout(),
            last_modified=self.page_last_modified(),
            object=getattr(self, "object", None),
        )

    def page_cache_selection(self):
        """The page's selecting parameters as a string, or None when the request must bypass the cache."""
        if not self.request.META.get("QUERY_STRING"):
            return ""
        selected = []
        for name, value in self.request.GET.items():
            if name in self.page_cache_params and PAGE_NUMBER.match(value):
                selected.append(f"{name}={value}")
            elif not IGNORED_PARAMS.match(name):
                return None
        return "&".join(sorted(selected))

    def cache_timeout(self):
        """Seconds until the page could change without any save: scheduled articles, the new year."""
        now = timezone.localtime()
        new_year = now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        moments = [now + datetime.timedelta(seconds=settings.PAGE_CACHE_TIMEOUT), new_year]
        if (changes_at := self.page_changes_at()) is not None and changes_at > now:
            moments.append(changes_at)
        return max(1, int((min(moments) - now).total_seconds()))

    def make_etag(self, digest):
        """A weak ETag: the content versions plus, for per-reader pages, the reader's cookies and the hour.

        The hour keeps a revalidated form's signed timestamp well inside its 2-hour validity.
        """
        if self.has_per_reader_part:
            cookies = self.request.META.get("HTTP_COOKIE", "")
            reader = salted_hmac("blog.caching.etag", cookies).hexdigest() if cookies else ""
            hour = int(timezone.now().timestamp()) // 3600
            digest = hashlib.sha256(f"{digest}:{reader}:{hour}".encode()).hexdigest()
        return f'W/"{digest[:32]}"'

    def respond_from(self, entry, *, digest):
        self.object = entry.object
        etag = self.make_etag(digest)
        response = HttpResponse(content_type="text/html; charset=utf-8")
        headers = response.headers
        headers["ETag"] = etag
        if entry.last_modified is not None:
            headers["Last-Modified"] = cached_http_date(entry.last_modified)
        # Shared caches may keep pages with nothing of the reader's own; everyone must revalidate (ETag) first.
        private = self.has_per_reader_part and not self.per_reader_part_is_shared()
        headers["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
        headers["Vary"] = "Cookie"
        if any(name in self.request.META for name in CONDITIONAL_HEADERS):
            conditional = get_conditional_response(
                self.request, etag=etag, last_modified=entry.last_modified, response=response
            )
            if conditional is not response:
                return conditional
        if len(entry.parts) > 1 and self.has_per_reader_part:
            response.content = self.render_per_reader_part().encode().join(entry.parts)
        else:
            response.content = PER_READER_MARKER.encode().join(entry.parts)
        if self.request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            headers["Cache-Control"] = "private, no-cache"  # It carries a CSRF token after all.
        headers["Content-Length"] = str(len(response.content))
        return response

    def per_reader_part_is_shared(self):
        """Whether this reader's per-reader part is the same for many readers (then the page may be public)."""
        return False

    def render_per_reader_part(self):
        """What PER_READER_TEMPLATE renders for this reader; views with ``has_per_reader_part`` give it."""
        raise ImproperlyConfigured(f"{type(self).__name__} has a per-reader part and must say how to render it.")

    def render_to_response(self, context, **response_kwargs):
        if not self.rendering_shared_part:
            return super().render_to_response(context, **response_kwargs)
        template = shared_templates().get_template(self.get_template_names()[0])
        return TemplateResponse(self.request, template, context, **response_kwargs)


# --- Readers without cookies ---------------------------------------------------


@dataclass(frozen=True)
class CookielessPage:
    """How to serve one URL from the page cache: its view (a PageCacheMixin without init arguments),
    the arguments its URL pattern gave it and the page's selecting parameters."""

    view_class: type
    args: tuple
    kwargs: dict
    params: str

    def respond(self, request):
        view = self.view_class()
        view.setup(request, *self.args, **self.kwargs)
        return view.respond_from_memory(self.params)


class CookielessPages:
    """The URLs this process has served from the page cache to readers without cookies, up to a number."""

    def __init__(self, max_entries):
        self.max_entries = max_entries
        self.pages = {}

    def remember(self, request, view_class, args, kwargs, params):
        if len(self.pages) >= self.max_entries:
            self.pages.clear()
        self.pages[(request.path_info, request.META.get("QUERY_STRING", ""))] = CookielessPage(
            view_class, tuple(args), dict(kwargs), params
        )

    def get(self, request):
        return self.pages.get((request.path_info, request.META.get("QUERY_STRING", "")))


cookieless_pages = CookielessPages(max_entries=4096)


class PageCacheMiddleware:
    """Answer readers who send no cookies from this process's recent pages, before the session, CSRF,
    auth and message middleware and URL resolution: for such a reader they have nothing to do.

    Only URLs a page-cached view has already answered that way in this process qualify; the view's own
    ``respond_from_memory`` checks the current versions, so the answer is exactly the view's. Anything
    else, a page not in memory included, goes down the usual way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE and request.method in ("GET", "HEAD") and not request.META.get("HTTP_COOKIE"):
            page = cookieless_pages.get(request)
            if page is not None:
                request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check (DisallowedHost: a 400).
                try:
                    response = page.respond(request)
                except RedisError:
                    response = None  # The view renders without the cache and logs why.
                if response is not None:
                    return response
        return self.get_response(request)


# --- Invalidation ---------------------------------------------------------------


def remember_old_slug(sender, instance, raw, **kwargs):
    """Before an article is saved, note its stored slug: a renamed article's old page must go too."""
    stored = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True) if instance.pk else []
    instance._page_cache_old_slugs = list(stored)


def article_changed(sender, instance, **kwargs):
    old_slugs = getattr(instance, "_page_cache_old_slugs", [])
    invalidate(LISTING, *(article_scope(slug) for slug in [instance.slug, *old_slugs]))


def author_changed(sender, instance, **kwargs):
    slugs = instance.articles.values_list("slug", flat=True) if instance.pk else []
    invalidate(LISTING, *(article_scope(slug) for slug in slugs))


def site_changed(sender, **kwargs):
    invalidate(SITE)


def comment_changed(sender, instance, **kwargs):
    """A comment was posted, approved, edited, removed or deleted: its article's page changes."""
    article_model = apps.get_model("blog", "Article")
    if ContentType.objects.get_for_id(instance.content_type_id).model_class() is not article_model:
        return
    slugs = article_model._default_manager.filter(pk=instance.object_pk).values_list("slug", flat=True)
    invalidate(*(article_scope(slug) for slug in slugs))


def thread_changed(sender, object_pk, **kwargs):
    """The comments app changed what readers see in an article's thread (bulk approve/remove included)."""
    slugs = apps.get_model("blog", "Article")._default_manager.filter(pk=object_pk).values_list("slug", flat=True)
    invalidate(*(article_scope(slug) for slug in slugs))


def update_history_changed(sender, instance, **kwargs):
    """An entry of an article's update history (shown on its page) was added, edited or deleted."""
    slugs = (
        apps.get_model("blog", "Article")._default_manager.filter(pk=instance.article_id).values_list("slug", flat=True)
    )
    invalidate(*(article_scope(slug) for slug in slugs))


def article_pages_changed(slugs):
    """Only these articles' own pages changed (their stored comment totals)."""
    invalidate(*(article_scope(slug) for slug in slugs))


def articles_updated(slugs):
    """Called by ``ArticleQuerySet.update()``, which sends no signals (e.g. "Mark as updated today")."""
    invalidate(LISTING, *(article_scope(slug) for slug in slugs))


def connect_receivers():
    import django_comments

    from comments.services import thread_changed as comment_thread_changed

    article = apps.get_model("blog", "Article")
    author = apps.get_model("authors", "Author")
    article_update = apps.get_model("blog", "ArticleUpdate")
    comment = django_comments.get_model()
    comment_thread_changed.connect(thread_changed, dispatch_uid="page_cache_comment_thread")
    pre_save.connect(remember_old_slug, sender=article, dispatch_uid="page_cache_article_pre")
    for signal in (post_save, post_delete):
        signal.connect(article_changed, sender=article, dispatch_uid="page_cache_article")
        signal.connect(author_changed, sender=author, dispatch_uid="page_cache_author")
        signal.connect(site_changed, sender=Site, dispatch_uid="page_cache_site")
        signal.connect(comment_changed, sender=comment, dispatch_uid="page_cache_comment")
        signal.connect(update_history_changed, sender=article_update, dispatch_uid="page_cache_article_update")
