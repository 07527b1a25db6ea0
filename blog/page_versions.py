"""Versions of what cached pages show, and how every process hears of a new one at once.

Each *scope* (``site``, ``listing``, ``article:<slug>``) has a random version in the page cache;
saving anything a scope shows gives it a new one (``invalidate``), and a page's cache key holds the
versions of its scopes, so a change makes the next reader's key new.

On Redis, reading the versions would cost every cached hit a network round trip, about as much as
the rest of the hit. So each process keeps the versions it has read, and learns of new ones from a
Redis pub/sub channel that every bump is announced on. Before trusting what it knows, a request
reads the waiting announcements without blocking: a change is announced before the response to
the request that made it, so the next reader, on any worker, already finds it in the socket.
If the subscription breaks, the process forgets what it knew and reads versions from Redis on
every request until it has subscribed again; and a version known for REVALIDATE_SECONDS is read
again anyway, so a lost announcement could never keep a page stale for longer than that.

While Redis cannot be reached, pages are rendered without the cache. A bump that could not be
stored is kept by the process that made it, which stores it before reading anything from the
cache again, so pages filed under the old versions are not served once Redis is back.
"""

import contextlib
import json
import logging
import os
import secrets
import threading
import time
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
REVALIDATE_SECONDS = 1.0
RESUBSCRIBE_SECONDS = 1.0


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def version_key(scope):
    return f"v:{scope}"


def announcements_channel(cache):
    """The channel of this cache's version bumps; the key prefix keeps sites sharing a Redis apart."""
    return cache.make_key("page-cache:versions")


class KnownVersions:
    """The versions this process may use without asking Redis, kept current by its announcements."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pid = None
        self.cache = None  # The cache object the channel below was computed for.
        self.channel = None
        self.pubsub = None
        self.confirmed = False
        self.retry_at = 0.0
        self.known = {}  # version key -> (version, monotonic time until which it may be used)
        self.generation = 0  # Advances whenever something known is forgotten.

    def get_many(self, cache, keys):
        """The stored versions of `keys`, from this process's memory where that is safe."""
        if not isinstance(cache, RedisCache):
            return cache.get_many(keys)  # Local memory: nothing to save.
        with self.lock:
            now = time.monotonic()
            listening = self.read_announcements(cache, now)
            if listening:
                known = {key: entry[0] for key in keys if (entry := self.known.get(key)) and entry[1] > now}
                if len(known) == len(keys):
                    return known
            generation = self.generation
        found = cache.get_many(keys)
        with self.lock:
            # Keep them only if nothing was forgotten meanwhile: the announcement may be about these.
            if listening and generation == self.generation and self.pubsub is not None:
                until = now + REVALIDATE_SECONDS
                self.known.update({key: (version, until) for key, version in found.items()})
        return found

    def read_announcements(self, cache, now):
        """Apply the announcements waiting in the socket; False unless a confirmed subscription is working."""
        if self.cache is not cache or self.pid != os.getpid():
            channel = announcements_channel(cache)
            if self.pid != os.getpid() or self.channel != channel:
                # A forked worker must not share its parent's connection; another cache has other versions.
                self.pid, self.channel, self.pubsub = os.getpid(), channel, None
                self.forget_all()
            self.cache = cache
        try:
            if self.pubsub is None:
                if now < self.retry_at:
                    return False
                self.subscribe(cache, self.channel)
            while (message := self.pubsub.get_message(timeout=0)) is not None:
                if message["type"] == "subscribe":
                    self.confirmed = True
                elif message["type"] == "message":
                    for key in json.loads(message["data"]):
                        self.known.pop(key, None)
                    self.generation += 1
        except (RedisError, OSError, ValueError) as error:
            logger.warning("Page cache: no version announcements (%r); reading versions from Redis.", error)
            self.drop_subscription(now)
            return False
        return self.confirmed

    def subscribe(self, cache, channel):
        """Subscribe; what is known counts only once Redis confirms (announcements before are missed)."""
        self.forget_all()
        self.confirmed = False
        self.pubsub = cache._cache.get_client(write=True).pubsub()
        self.pubsub.subscribe(channel)
        self.pubsub.connection.register_connect_callback(self.reconnected)

    def reconnected(self, connection):
        """redis-py reconnects and subscribes again by itself; announcements in between were lost."""
        self.confirmed = False
        self.forget_all()

    def drop_subscription(self, now):
        if self.pubsub is not None:
            with contextlib.suppress(RedisError, OSError):
                self.pubsub.close()
        self.pubsub = None
        self.confirmed = False
        self.retry_at = now + RESUBSCRIBE_SECONDS
        self.forget_all()

    def forget_all(self):
        self.known.clear()
        self.generation += 1

    def reset(self):
        with self.lock:
            self.drop_subscription(0.0)
            self.cache = self.channel = None


known_versions = KnownVersions()


@receiver(setting_changed)
def forget_versions_of_another_cache(*, setting, **kwargs):
    if setting in ("CACHES", "PAGE_CACHE_ALIAS"):
        known_versions.reset()


# Scopes whose new version could not be stored because Redis was unreachable. While any remain,
# this process renders without the cache (pages filed under the old versions must not be served),
# and it stores them before it reads anything once Redis answers again.
unsaved_bumps = set()


def bump(scopes):
    """New versions for the scopes, announced to every process that keeps versions in memory."""
    unsaved_bumps.update(scopes)
    if not unsaved_bumps:
        return
    cache = page_cache()
    scopes_to_save = sorted(unsaved_bumps)
    keys = [version_key(scope) for scope in scopes_to_save]
    try:
        cache.set_many({key: secrets.token_hex(8) for key in keys}, settings.PAGE_CACHE_TIMEOUT)
        if isinstance(cache, RedisCache):
            cache._cache.get_client(write=True).publish(announcements_channel(cache), json.dumps(keys))
    except RedisError as error:
        logger.error("Page cache: new versions of %s not stored yet (%r).", ", ".join(scopes_to_save), error)
        return
    unsaved_bumps.difference_update(scopes_to_save)


def invalidate(*scopes):
    """Give each scope a new version now (tests, autocommit) and again once the transaction commits."""
    scopes = sorted(set(scopes))
    bump(scopes)
    transaction.on_commit(partial(bump, scopes), robust=True)


def current_versions(scopes, cache):
    """The scopes' versions as one string; a scope with no version yet (or evicted) gets a new one.

    Raises RedisError when the cache cannot be used: the caller renders without it.
    """
    if unsaved_bumps:
        bump([])
        if unsaved_bumps:
            raise RedisError("new page versions not stored yet")
    keys = [version_key(scope) for scope in scopes]
    found = known_versions.get_many(cache, keys)
    if len(found) < len(keys):
        for key in keys:
            if key not in found:
                cache.add(key, secrets.token_hex(8), settings.PAGE_CACHE_TIMEOUT)
        found = cache.get_many(keys)
    return "|".join(f"{key}={found.get(key)}" for key in keys)
