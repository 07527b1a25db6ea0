"""nginx's page cache kept in step with the app: pages kept for a minute and refreshed the moment they change.

A shared cache that can only revalidate must do so every second for a change to show within a second: on a site
with many pages, every page is revalidated every second, all as the second turns. When PAGE_CACHE_REFRESH_URL
names nginx's address as this server reaches it (deploy/nginx.conf), a page kept in Django's cache is also kept
by nginx for up to PAGE_CACHE_REFRESHED_SECONDS, and its address is recorded under each of its cache tags. When
tags are invalidated, a thread of this process asks nginx for every page recorded under them with the
X-Page-Refresh header, which nginx accepts from this machine only: it then fetches the page from the app and
keeps the new copy. (With an nginx on each of several machines, the setting lists them all.) This is Wagtail's
frontend-cache purge, done by tag as Varnish's xkey does.

A refresh that never happens (the process stopped, Redis evicted the record) leaves a page stale for at most
PAGE_CACHE_REFRESHED_SECONDS; a page whose rendering overlapped a change is kept by nginx for a second only
(config.pagecache).
"""

import http.client
import logging
import os
import queue
import threading
import time
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.cache import caches
from django.dispatch import receiver
from django.utils.encoding import escape_uri_path
from redis.exceptions import RedisError

from .cachetags import tags_invalidated

logger = logging.getLogger(__name__)

HEADER = "X-Page-Refresh"  # Its value is the scheme readers use, part of nginx's cache key.
TIMEOUT = 10
# Invalidations that come together are refreshed together, each page once (one save may invalidate twice).
GATHER_SECONDS = 0.05

_tags_to_refresh = queue.SimpleQueue()
_refresher = None  # (process id, thread): a thread does not survive gunicorn's fork.


def enabled():
    return bool(settings.PAGE_CACHE and settings.PAGE_CACHE_REFRESH_URL)


def index_key(cache, tag):
    return cache.make_and_validate_key(f"pageurls:{tag}")


def address(request, query):
    """The page as nginx keys it: scheme, host, path and the query that selects it."""
    target = escape_uri_path(request.path)
    if query:
        target += "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in _pairs(query))
    return f"{request.scheme} {request.get_host()} {target}"


def _pairs(query):
    return (pair.partition("=")[::2] for pair in query.split("&"))


def record(request, query, tags):
    """Note a page just stored under each of its tags, for as long as pages are stored."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    page = address(request, query)
    with cache._cache.get_client(write=True).pipeline(transaction=False) as pipe:
        for tag in tags:
            pipe.sadd(index_key(cache, tag), page)
            pipe.expire(index_key(cache, tag), settings.PAGE_CACHE_TIMEOUT)
        pipe.execute()


def pages_under(tags):
    cache = caches[settings.PAGE_CACHE_ALIAS]
    members = cache._cache.get_client().sunion([index_key(cache, tag) for tag in tags])
    return sorted(member.decode() for member in members)


@receiver(tags_invalidated)
def refresh_pages_showing(sender, tags, **kwargs):
    """Hand the invalidated tags to this process's refresher thread (started on first use)."""
    global _refresher
    if not enabled():
        return
    _tags_to_refresh.put(tags)
    if _refresher is None or _refresher[0] != os.getpid() or not _refresher[1].is_alive():
        thread = threading.Thread(target=_refresh_forever, name="page-refresher", daemon=True)
        _refresher = (os.getpid(), thread)
        thread.start()


def _refresh_forever():
    while True:
        tags = set(_tags_to_refresh.get())
        time.sleep(GATHER_SECONDS)
        while not _tags_to_refresh.empty():
            tags.update(_tags_to_refresh.get())
        try:
            pages = pages_under(sorted(tags))
        except RedisError as error:
            logger.error("Pages to refresh in nginx not found (%r); they may be stale for a minute.", error)
            continue
        for nginx in settings.PAGE_CACHE_REFRESH_URL.split(","):
            try:
                for page in pages:
                    refresh(urlsplit(nginx.strip()), page)
            except (OSError, http.client.HTTPException) as error:
                logger.error("Page refresh through %s failed (%r); pages may be stale for a minute.", nginx, error)


def refresh(nginx, page):
    """Ask nginx (at the split URL `nginx`) to fetch `page` from the app anew and keep it."""
    scheme, host, target = page.split(" ", 2)
    connection = http.client.HTTPConnection(nginx.hostname, nginx.port or 80, timeout=TIMEOUT)
    try:
        connection.request("GET", target, headers={"Host": host, HEADER: scheme})
        connection.getresponse().read()
    finally:
        connection.close()
