"""The page cache on a real Redis (127.0.0.1:6379, database 3): shared hits, at-once invalidation, outages.

The backend is production's (config.redis_cache: Django's RedisCache reusing its redis-py client). A Redis
outage degrades to rendering: the backend raises, config.pagecache catches it; an invalidation Redis missed is
stored later by the task worker (tests/config/test_page_cache_tags.py)."""

import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from tests.forms import BrowserClient
from tests.perf import comment_form_data, redis_cache_config, use_page_cache

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # Nothing listens on port 1: connections are refused at once.

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def redis_page_cache(comments_publish_at_once):
    """The page cache on Redis under a key prefix of its own, deleted afterwards; returns the prefix."""
    prefix = f"test-{uuid.uuid4().hex}"
    use_page_cache(comments_publish_at_once, redis_cache_config(prefix))
    yield prefix
    use_page_cache(comments_publish_at_once, redis_cache_config(prefix))
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.usefixtures("redis_page_cache")
def test_the_cache_reuses_one_redis_client_for_every_call():
    cache.set("reused", 1)

    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert cache.get("reused") == 1


@pytest.mark.usefixtures("redis_page_cache")
def test_comment_shows_at_once_on_a_page_served_from_redis(client, site_content, django_assert_num_queries):
    url = site_content.get_absolute_url()
    reader = BrowserClient()
    reader.get(url)
    with django_assert_num_queries(0):
        reader.get(url)

    client.post(reverse("comment-post"), comment_form_data(client.get(url), "Posted while cached in Redis."))

    assert "Posted while cached in Redis." in reader.get(url).content.decode()


@pytest.mark.usefixtures("redis_page_cache")
def test_revalidation_from_redis_answers_304_without_sql(client, site_content, django_assert_num_queries):
    etag = client.get(site_content.get_absolute_url())["ETag"]

    with django_assert_num_queries(0):
        response = client.get(site_content.get_absolute_url(), headers={"if-none-match": etag})

    assert response.status_code == 304


def test_article_page_renders_without_the_cache_while_redis_is_unreachable(client, site_content, settings):
    use_page_cache(settings, redis_cache_config("down", UNREACHABLE_REDIS))

    response = client.get(site_content.get_absolute_url())

    assert response.status_code == 200
    assert site_content.title in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=1"


def test_comment_is_posted_while_redis_is_unreachable(client, site_content, comments_publish_at_once):
    use_page_cache(comments_publish_at_once, redis_cache_config("down", UNREACHABLE_REDIS))
    form_page = client.get(site_content.get_absolute_url())

    response = client.post(reverse("comment-post"), comment_form_data(form_page, "Posted during an outage."))

    assert response.status_code == 302
    assert XtdComment.objects.filter(comment="Posted during an outage.").exists()
