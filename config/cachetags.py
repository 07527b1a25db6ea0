"""Cache tags: each public page names what it shows, so that a change invalidates only the pages showing it.

The design is Drupal's cache tags, which CDNs purge by as Fastly's Surrogate-Key and Cloudflare's Cache-Tag:
- a page declares tags such as "blog.article:12" (the article), "blog.article:12:comments" (its comments),
  "authors.author:3" and "blog.article:list" (the lists of articles: home, archives, feeds, the sitemap);
- every page also carries "site": the header's sections, the footer's pages and the site's name;
- a change invalidates the tags it touches, once its transaction commits (`invalidate`).

An invalidation stores the moment it happened under each tag, and config.pagecache serves a stored page only
while it was rendered after the last invalidation of each of its tags. It also sends `tags_invalidated`, the
place to connect a CDN's purge-by-tag call (docs/deploy.md). When the cache cannot be written (Redis down), the
task worker stores the invalidation later (`store_invalidation`), so every server heals without a restart.
"""

import datetime
import logging
import time
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import task
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

SITE = "site"
HEADER = "Cache-Tag"  # Comma-separated, as Cloudflare reads it; deploy/nginx.conf hides it from readers.
RETRY_SECONDS = 5
RETRY_FOR_SECONDS = 24 * 60 * 60  # Stored pages live no longer (PAGE_CACHE_TIMEOUT): after that, nothing to heal.

# Sent with `tags` (a list of strings) after each committed change, whether or not the page cache is on.
tags_invalidated = Signal()


def object_tag(instance, aspect=""):
    """The tag of one object ("blog.article:12"), or of one aspect of it ("blog.article:12:comments")."""
    tag = f"{instance._meta.label_lower}:{instance.pk}"
    return f"{tag}:{aspect}" if aspect else tag


def list_tag(model):
    """The tag of the lists of a model's objects ("blog.article:list"): who is in them, in which order."""
    return f"{model._meta.label_lower}:list"


def tag_key(tag):
    return f"pagetag:{tag}"


def add_tags(response, tags):
    """Declare that `response` shows what `tags` name (kept in its Cache-Tag header)."""
    current = response.get(HEADER)
    response[HEADER] = ",".join(sorted({*current.split(","), *tags} if current else set(tags)))
    return response


def public_tags(response):
    """The tags a public page declared, with SITE, which every public page shows (added to its header)."""
    return add_tags(response, [SITE])[HEADER].split(",")


def invalidate(*tags):
    """Pages showing any of `tags` are out of date once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(_store, sorted(set(tags))), robust=True)


def invalidate_site_pages():
    """Every public page is out of date (a restore, an import): they all carry SITE."""
    invalidate(SITE)


def _store(tags, attempt=1):
    if settings.PAGE_CACHE:
        try:
            store_times(tags)
        except RedisError as error:
            logger.error("Page cache: invalidation of %s not stored (%r); the task worker will retry.", tags, error)
            retry_later(tags, attempt)
    if attempt == 1:
        tags_invalidated.send(sender=None, tags=tags)


def store_times(tags):
    """Note now as the last change of each tag (nanoseconds: config.pagecache compares render start times)."""
    now = time.time_ns()
    caches[settings.PAGE_CACHE_ALIAS].set_many({tag_key(tag): now for tag in tags}, timeout=None)


def retry_later(tags, attempt):
    delay = min(RETRY_SECONDS * 2 ** (attempt - 1), 60)
    if attempt * 60 > RETRY_FOR_SECONDS:
        logger.error("Page cache: gave up storing the invalidation of %s.", tags)
        return
    store_invalidation.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
        tags=tags, attempt=attempt + 1
    )


@task()
def store_invalidation(*, tags: list[str], attempt: int) -> None:
    """An invalidation the cache refused (Redis down), tried again by the task worker until Redis is back."""
    _store(tags, attempt)
