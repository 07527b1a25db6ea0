"""Page versions kept in each process's memory and announced through Redis pub/sub (blog/page_versions.py).

Each test plays a second process with a KnownVersions of its own, on a real Redis.
"""

import os
import uuid

import pytest
from django.core.cache import caches

from blog import page_versions
from blog.page_versions import KnownVersions, bump, version_key

SCOPE = "article:some-article"
KEY = version_key(SCOPE)


@pytest.fixture
def redis_cache(settings):
    """The page cache on Redis under a key prefix (and so an announcements channel) of its own."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    yield caches["default"]
    client = caches["default"]._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def listening_process(redis_cache):
    """Another process that has subscribed, had it confirmed, and read the scope's version."""
    process = KnownVersions()
    process.get_many(redis_cache, [KEY])
    process.get_many(redis_cache, [KEY])  # Reads the subscription's confirmation.
    assert process.confirmed
    return process


def test_known_version_is_used_without_asking_redis(redis_cache):
    redis_cache.set(KEY, "one")
    process = listening_process(redis_cache)

    redis_cache.set(KEY, "written without an announcement")

    assert process.get_many(redis_cache, [KEY]) == {KEY: "one"}


def test_announced_bump_reaches_a_process_that_knew_the_old_version_at_once(redis_cache):
    redis_cache.set(KEY, "one")
    process = listening_process(redis_cache)

    bump([SCOPE])

    assert process.get_many(redis_cache, [KEY]) == {KEY: redis_cache.get(KEY)} != {KEY: "one"}


def test_known_version_is_read_again_after_revalidate_seconds(redis_cache, monkeypatch):
    monkeypatch.setattr(page_versions, "REVALIDATE_SECONDS", 0)
    redis_cache.set(KEY, "one")
    process = listening_process(redis_cache)

    redis_cache.set(KEY, "written without an announcement")

    assert process.get_many(redis_cache, [KEY]) == {KEY: "written without an announcement"}


def test_lost_subscription_connection_makes_the_process_read_versions_from_redis(redis_cache):
    redis_cache.set(KEY, "one")
    process = listening_process(redis_cache)

    process.pubsub.connection.disconnect()  # Announcements sent until redis-py reconnects are lost.
    redis_cache.set(KEY, "written while disconnected")

    assert process.get_many(redis_cache, [KEY]) == {KEY: "written while disconnected"}


def test_local_memory_cache_is_read_as_it_is(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "v"}}
    local_memory = caches["default"]
    local_memory.set(KEY, "one")

    assert KnownVersions().get_many(local_memory, [KEY]) == {KEY: "one"}
