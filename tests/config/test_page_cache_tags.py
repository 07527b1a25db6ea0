"""The page cache invalidates by what each page shows (config.cachetags), on Redis as deployed.

A hit is a page served with no SQL at all. Writes go through real transactions (invalidation happens on
commit), hence transaction=True.
"""

import datetime
import re

import pytest
import redis
import time_machine
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from authors.models import Author
from blog.models import Article
from comments.links import moderation_hash
from config import cachetags, pagecache
from pages.models import Page
from tests.comment_factories import CommentFactory, post_comment
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory, TagFactory
from tests.forms import BrowserClient
from tests.perf import REDIS_TEST_URL, redis_cache_config, use_page_cache
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # Nothing listens on port 1: connections are refused at once.


def is_hit(url, **headers):
    """Whether a new reader gets `url` from the page cache: a 200 answered without any SQL."""
    with CaptureQueriesContext(connection) as queries:
        response = BrowserClient().get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries) == 0


def warm(*urls):
    for url in urls:
        BrowserClient().get(url)
        assert is_hit(url), f"{url} was not served from the cache after a miss"


@pytest.fixture
def two_articles(site_content, settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    other = ArticleFactory(title="Another story", slug="another-story")
    return site_content, other


def public_urls(article):
    """One URL of every kind of public page that the page cache stores."""
    comment = CommentFactory(article=article, comment="A first comment.")
    category, tag = article.categories.first(), article.tags.first()
    return [
        reverse("blog:home"),
        article.get_absolute_url(),
        article.author.get_absolute_url(),
        reverse("blog:feed"),
        reverse("blog:feed_atom"),
        reverse("blog:author_feed", kwargs={"slug": article.author.slug}),
        reverse("comments_feed", kwargs={"slug": article.slug}),
        reverse("comments_feed_atom", kwargs={"slug": article.slug}),
        category.get_absolute_url(),
        category.get_feed_url(),
        tag.get_absolute_url(),
        tag.get_atom_feed_url(),
        Page.objects.published().first().get_absolute_url(),
        reverse("blog:sitemap"),
        reverse("comment-reply", args=[comment.pk]),
    ]


def test_every_kind_of_public_page_is_a_hit_after_a_miss(site_content):
    for url in public_urls(site_content):
        BrowserClient().get(url)
        assert is_hit(url), url


def test_public_pages_name_what_they_show_in_a_cache_tag_header(site_content):
    response = BrowserClient().get(site_content.get_absolute_url())

    tags = set(response["Cache-Tag"].split(","))
    assert {
        f"blog.article:{site_content.pk}",
        f"blog.article:{site_content.pk}:comments",
        f"authors.author:{site_content.author_id}",
        "site",
    } <= tags
    assert {f"blog.category:{category.pk}" for category in site_content.categories.all()} <= tags
    assert {f"blog.tag:{tag.pk}" for tag in site_content.tags.all()} <= tags


def test_listings_name_the_lists_they_show(site_content):
    tags = set(BrowserClient().get(reverse("blog:home"))["Cache-Tag"].split(","))

    assert {"blog.article:list", "authors.author:list", "site"} <= tags


def test_a_comment_approved_on_one_article_leaves_the_other_articles_and_lists_cached(two_articles, editor_client):
    article, other = two_articles
    warm(other.get_absolute_url(), reverse("blog:home"), article.get_absolute_url())
    post_comment(BrowserClient(), article, name="New Reader", email="new@example.com", comment="Held, then approved.")
    held = XtdComment.objects.get(comment="Held, then approved.")

    editor_client.post(
        reverse("admin:django_comments_xtd_xtdcomment_changelist"),
        {"action": "approve", "_selected_action": [held.pk]},
    )

    assert is_hit(other.get_absolute_url())
    assert is_hit(reverse("blog:home"))
    assert "Held, then approved." in BrowserClient().get(article.get_absolute_url()).content.decode()


def test_a_held_comment_changes_no_public_page(two_articles):
    article, _ = two_articles
    warm(article.get_absolute_url())

    post_comment(BrowserClient(), article, name="First Timer", email="first@example.com", comment="Waiting my turn.")

    assert XtdComment.objects.get(comment="Waiting my turn.").is_public is False
    assert is_hit(article.get_absolute_url())


def test_a_held_comment_marked_as_spam_changes_no_public_page(two_articles, editor_client):
    article, _ = two_articles
    post_comment(BrowserClient(), article, name="Spammer", email="spam@example.com", comment="Buy cheap phones.")
    warm(article.get_absolute_url())

    editor_client.post(
        reverse("admin:django_comments_xtd_xtdcomment_changelist"),
        {"action": "mark_spam", "_selected_action": [XtdComment.objects.get(comment="Buy cheap phones.").pk]},
    )

    assert is_hit(article.get_absolute_url())


def test_a_held_comment_leaves_the_article_row_alone(two_articles):
    article, _ = two_articles

    with CaptureQueriesContext(connection) as queries:
        post_comment(BrowserClient(), article, name="Quiet", email="quiet@example.com", comment="Held quietly.")

    assert not [query for query in queries if query["sql"].startswith('UPDATE "blog_article"')]


def test_an_edit_invalidates_the_article_and_the_lists_but_not_other_articles(two_articles):
    article, other = two_articles
    warm(article.get_absolute_url(), other.get_absolute_url(), reverse("blog:home"))

    article.title = "A corrected title"
    article.save()

    assert not is_hit(article.get_absolute_url())
    assert "A corrected title" in BrowserClient().get(reverse("blog:home")).content.decode()
    assert is_hit(other.get_absolute_url())


def test_a_draft_saved_changes_no_public_page(two_articles):
    article, _ = two_articles
    draft = ArticleFactory(status=Article.Status.DRAFT)
    warm(article.get_absolute_url(), reverse("blog:home"))

    draft.title = "Still a draft"
    draft.save()

    assert is_hit(article.get_absolute_url())
    assert is_hit(reverse("blog:home"))


def test_an_author_change_reaches_their_articles_but_not_others(two_articles):
    article, other = two_articles
    warm(article.get_absolute_url(), other.get_absolute_url())

    Author.objects.filter(pk=article.author_id).first().save()

    assert not is_hit(article.get_absolute_url())
    assert is_hit(other.get_absolute_url())


def test_a_tag_change_reaches_the_articles_filed_under_it(two_articles):
    article, other = two_articles
    tag = TagFactory(name="Budget phones")
    other.tags.add(TagFactory(name="Unrelated"))
    warm(article.get_absolute_url(), other.get_absolute_url())

    article.tags.add(tag)

    assert "Budget phones" in BrowserClient().get(article.get_absolute_url()).content.decode()
    assert is_hit(other.get_absolute_url())


def test_an_edited_tag_description_is_on_the_tag_page_at_the_next_request(site_content, editor_client):
    tag = site_content.tags.first()
    warm(tag.get_absolute_url(), tag.get_feed_url())

    response = editor_client.post(
        reverse("admin:blog_tag_change", args=[tag.pk]),
        {"name": tag.name, "slug": tag.slug, "description": "Every story about the phone maker."},
    )

    assert response.status_code == 302
    content = BrowserClient().get(tag.get_absolute_url()).content.decode()
    assert '<p class="archive-description">Every story about the phone maker.</p>' in content
    assert '<meta name="description" content="Every story about the phone maker.">' in content
    assert "Every story about the phone maker." in BrowserClient().get(tag.get_feed_url()).content.decode()


def test_a_new_header_section_reaches_every_page(two_articles):
    article, other = two_articles
    warm(article.get_absolute_url(), other.get_absolute_url())

    CategoryFactory(name="Reviews")

    assert "Reviews" in BrowserClient().get(other.get_absolute_url()).content.decode()


def test_a_category_inside_another_is_not_in_the_header(two_articles):
    article, other = two_articles
    parent = article.categories.first()
    warm(other.get_absolute_url())

    CategoryFactory(name="Budget", parent=parent)

    assert is_hit(other.get_absolute_url())


def test_a_footer_page_reaches_every_page_and_another_page_does_not(two_articles):
    article, _ = two_articles
    warm(article.get_absolute_url())
    PageFactory(title="Unlisted", slug="unlisted", status=Page.Status.PUBLISHED, menu_order=None)
    assert is_hit(article.get_absolute_url())

    PageFactory(title="Contact us", slug="contact", status=Page.Status.PUBLISHED, menu_order=9)

    assert "Contact us" in BrowserClient().get(article.get_absolute_url()).content.decode()


def test_a_site_rename_reaches_every_page(two_articles):
    article, _ = two_articles
    warm(article.get_absolute_url())

    Site.objects.filter(pk=1).update(name="Renamed Journal")
    Site.objects.get(pk=1).save()

    assert "Renamed Journal" in BrowserClient().get(article.get_absolute_url()).content.decode()


def test_an_article_whose_comments_closed_in_the_past_stays_cached(two_articles):
    article, other = two_articles
    Article.objects.filter(pk=article.pk).update(close_comments_after_days=1)  # Published years ago: closed.
    warm(other.get_absolute_url())

    BrowserClient().get(article.get_absolute_url())

    assert is_hit(article.get_absolute_url())
    assert is_hit(other.get_absolute_url())


def test_an_article_page_changes_when_its_comments_close(two_articles):
    _, other = two_articles
    Article.objects.filter(pk=other.pk).update(
        published_at=timezone.now() - datetime.timedelta(hours=23), close_comments_after_days=1
    )
    warm(other.get_absolute_url())
    assert 'id="comment-form"' in BrowserClient().get(other.get_absolute_url()).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert 'id="comment-form"' not in BrowserClient().get(other.get_absolute_url()).content.decode()


def test_a_scheduled_article_appears_in_lists_on_its_own(site_content):
    ArticleFactory(title="Scheduled story", published_at=timezone.now() + datetime.timedelta(hours=1))
    warm(reverse("blog:home"))
    assert "Scheduled story" not in BrowserClient().get(reverse("blog:home")).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert "Scheduled story" in BrowserClient().get(reverse("blog:home")).content.decode()


def canonical_of(body):
    return re.search(r'<link rel="canonical" href="([^"]+)">', body).group(1)


def test_a_page_number_on_an_article_does_not_become_its_canonical_url(site_content):
    url = site_content.get_absolute_url()
    BrowserClient().get(url + "?page=99")

    body = BrowserClient().get(url).content.decode()

    assert "?page=99" not in body
    assert canonical_of(body).endswith(url)


def test_a_listing_keeps_its_page_number_in_its_canonical_url(site_content):
    ArticleFactory.create_batch(10)

    body = BrowserClient().get(reverse("blog:home") + "?page=2&utm_source=x").content.decode()

    assert canonical_of(body).endswith("/?page=2")


def held_comment_link_query(comment):
    return f"unapproved={comment.pk}&moderation-hash={moderation_hash(comment)}"


def test_a_held_comment_reaches_no_cached_page(site_content, settings, page_cache_of_its_own):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    post_comment(
        BrowserClient(), site_content, name="Held Reader", email="held@example.com", comment="Secret held words."
    )
    held = XtdComment.objects.get(comment="Secret held words.")
    urls = public_urls(site_content)

    for url in urls:
        separator = "&" if "?" in url else "?"
        response = BrowserClient().get(f"{url}{separator}{held_comment_link_query(held)}")
        if response.status_code == 200 and "Secret held words." in response.content.decode():
            assert response["Cache-Control"] == "private, no-store", url
    for url in urls:
        assert "Secret held words." not in BrowserClient().get(url).content.decode(), url

    stored = redis.Redis.from_url(REDIS_TEST_URL)
    keys = list(stored.scan_iter(match=f"{page_cache_of_its_own}:*"))
    assert keys
    assert not [key for key in keys if b"Secret held words." in (stored.get(key) or b"")]


def test_the_reply_page_keeps_a_held_comment_link_private(site_content, settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    parent = CommentFactory(article=site_content, comment="A parent.")
    post_comment(
        BrowserClient(), site_content, name="Held Reader", email="held@example.com", comment="Held reply text."
    )
    held = XtdComment.objects.get(comment="Held reply text.")

    response = BrowserClient().get(f"{reverse('comment-reply', args=[parent.pk])}?{held_comment_link_query(held)}")

    assert response["Cache-Control"] == "private, no-store"


def test_search_results_are_not_stored(site_content, page_cache_of_its_own):
    for words in ("xiaomi", "pakistan", "banned phones"):
        BrowserClient().get(reverse("blog:search"), {"q": words})

    response = BrowserClient().get(reverse("blog:search"), {"q": "xiaomi"})
    keys = list(redis.Redis.from_url(REDIS_TEST_URL).scan_iter(match=f"{page_cache_of_its_own}:1:page:*"))

    assert response["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert keys == []


def test_stored_pages_expire_at_different_moments_within_the_timeout(site_content, settings, page_cache_of_its_own):
    settings.PAGE_CACHE_TIMEOUT = 1000
    urls = public_urls(site_content)
    for url in urls:
        BrowserClient().get(url)

    stored = redis.Redis.from_url(REDIS_TEST_URL)
    lifetimes = {stored.ttl(key) for key in stored.scan_iter(match=f"{page_cache_of_its_own}:1:page:*")}

    assert len(lifetimes) > 1
    assert all(790 <= lifetime <= 1000 for lifetime in lifetimes)


def test_a_page_stored_before_midnight_is_a_hit_after_it(site_content):
    url = site_content.get_absolute_url()
    midnight = datetime.datetime.combine(timezone.now().date() + datetime.timedelta(days=1), datetime.time.min)
    with time_machine.travel(midnight.replace(tzinfo=datetime.UTC) - datetime.timedelta(seconds=2), tick=False):
        BrowserClient().get(url)

    with time_machine.travel(midnight.replace(tzinfo=datetime.UTC) + datetime.timedelta(seconds=2), tick=False):
        assert is_hit(url)


class CountingCache:
    """The real cache, counting the calls that go to Redis (each is one round trip)."""

    def __init__(self, real):
        self.real, self.calls = real, []

    def __getattr__(self, name):
        method = getattr(self.real, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


def test_revalidation_is_one_cache_round_trip_and_no_sql(site_content, monkeypatch, django_assert_num_queries):
    url = site_content.get_absolute_url()
    etag = BrowserClient().get(url)["ETag"]
    counting = CountingCache(cache)
    monkeypatch.setattr(pagecache, "page_cache", lambda: counting)

    with django_assert_num_queries(0):
        response = BrowserClient().get(url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert counting.calls == ["get_many"]


def test_a_change_announces_its_tags_for_a_cdn_once_committed(two_articles):
    article, _ = two_articles
    announced = []

    def purge(sender, tags, **kwargs):
        announced.append(tags)

    cachetags.tags_invalidated.connect(purge)
    try:
        CommentFactory(article=article, comment="Purge me.")
    finally:
        cachetags.tags_invalidated.disconnect(purge)

    assert [f"blog.article:{article.pk}:comments"] in announced


def test_a_change_made_while_redis_was_down_heals_through_the_task_worker(
    two_articles, settings, page_cache_of_its_own
):
    article, _ = two_articles
    warm(article.get_absolute_url())
    use_page_cache(settings, redis_cache_config(page_cache_of_its_own, UNREACHABLE_REDIS))
    CommentFactory(article=article, comment="Posted while Redis was away.")
    use_page_cache(settings, redis_cache_config(page_cache_of_its_own))
    assert "Posted while Redis was away." not in BrowserClient().get(article.get_absolute_url()).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10)):
        run_queued_tasks()

    assert "Posted while Redis was away." in BrowserClient().get(article.get_absolute_url()).content.decode()


def test_a_lost_tag_time_makes_its_pages_render_again(site_content, page_cache_of_its_own):
    url = site_content.get_absolute_url()
    warm(url)

    redis.Redis.from_url(REDIS_TEST_URL).delete(f"{page_cache_of_its_own}:1:{cachetags.tag_key('site')}")

    assert not is_hit(url)
    assert is_hit(url)


def test_an_author_without_articles_has_a_cached_page(db):
    author = AuthorFactory()
    warm(author.get_absolute_url())


def test_a_new_article_sharing_a_tag_rerenders_the_pages_that_list_it_as_related_and_no_other(site_content):
    """An article page shows up to three related articles (same tags or categories): publishing a new one
    under a tag re-renders the pages of the articles filed under it, and leaves an unrelated article's a hit."""
    xiaomi = site_content.tags.get(slug="xiaomi")
    unrelated = ArticleFactory(title="Unrelated", slug="unrelated")
    warm(site_content.get_absolute_url(), unrelated.get_absolute_url())

    newer = ArticleFactory(title="Xiaomi returns to Pakistan", slug="xiaomi-returns")
    newer.tags.add(xiaomi)

    page = BrowserClient().get(site_content.get_absolute_url()).content.decode()
    assert '<h2 id="related-title">Related articles</h2>' in page
    assert f'<a href="{newer.get_absolute_url()}">Xiaomi returns to Pakistan</a>' in page
    assert is_hit(unrelated.get_absolute_url())
    assert "Related articles" not in BrowserClient().get(unrelated.get_absolute_url()).content.decode()


def test_a_revalidation_is_answered_before_the_session_and_the_view(site_content):
    url = site_content.get_absolute_url()
    etag = BrowserClient().get(url)["ETag"]

    response = BrowserClient().get(url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert "Content-Security-Policy" in response
    assert not hasattr(response.wsgi_request, "session")


def test_a_revalidation_of_a_changed_page_gets_the_new_page(two_articles):
    article, _ = two_articles
    etag = BrowserClient().get(article.get_absolute_url())["ETag"]
    CommentFactory(article=article, comment="Changed since.")

    response = BrowserClient().get(article.get_absolute_url(), headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "Changed since." in response.content.decode()
