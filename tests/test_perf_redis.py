"""The page cache on a real Redis (REDIS_URL, else 127.0.0.1:6379): shared hits and at-once invalidation."""

import os
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from .perf import comment_form_data, use_page_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_page_cache(comments_publish_at_once):
    """The page cache on Redis under a key prefix of its own, deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex}"
    use_page_cache(
        comments_publish_at_once,
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        },
    )
    yield
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.usefixtures("redis_page_cache")
def test_comment_shows_at_once_on_a_page_served_from_redis(client, site_content, django_assert_num_queries):
    url = site_content.get_absolute_url()
    reader = Client()
    reader.get(url)
    with django_assert_num_queries(0):
        reader.get(url)

    client.post(reverse("comments-post-comment"), comment_form_data(client.get(url), "Posted while cached in Redis."))

    assert "Posted while cached in Redis." in reader.get(url).content.decode()
