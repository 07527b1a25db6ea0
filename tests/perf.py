"""Set-up shared by the page-cache tests (tests/test_perf_*.py)."""

import uuid

import pytest

from tests.forms import form_data

REDIS_TEST_URL = "redis://127.0.0.1:6379/3"


def redis_cache_config(prefix, location=None):
    """Production's cache backend (config.redis_cache) on the test Redis, under `prefix`."""
    return {
        "BACKEND": "config.redis_cache.RedisCache",
        "LOCATION": location or REDIS_TEST_URL,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def use_page_cache(settings, cache_config):
    """The page cache on `cache_config`. Callers also publish comments at once (comments_publish_at_once),
    so that pages must show a comment as soon as it is posted through the form."""
    settings.CACHES = {"default": cache_config}
    settings.PAGE_CACHE = True


@pytest.fixture
def locmem_page_cache(comments_publish_at_once):
    """The page cache on, in a fresh local-memory cache of its own."""
    use_page_cache(
        comments_publish_at_once,
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex},
    )


def comment_form_data(response, comment):
    data = form_data(response, "comment-form")
    data.update(name="Reader One", email="reader@example.com", comment=comment)
    return data
