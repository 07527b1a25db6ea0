"""Public pages (config/pagecache.py) with Django's local-memory cache: one page for every anonymous
reader whatever their cookies, never stale, nothing of one reader's reaching another.

Writes go through real transactions (invalidation happens on commit), hence transaction=True.
"""

import datetime
import secrets

import django_comments
import pytest
import time_machine
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from pages.models import Page
from tests.comment_factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory
from tests.forms import BrowserClient, form_data
from tests.perf import comment_form_data, locmem_page_cache  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("locmem_page_cache"),
]


def add_comment(article, text):
    return django_comments.get_model().objects.create(
        content_object=article, site=Site.objects.get_current(), user_name="Ann", comment=text, is_public=True
    )


def public_urls(article):
    """One URL of every kind of public page."""
    category, tag, page = article.categories.first(), article.tags.first(), Page.objects.published().first()
    return [
        reverse("blog:home"),
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?cpage=2",
        article.author.get_absolute_url(),
        reverse("blog:search") + "?q=xiaomi",
        reverse("blog:feed"),
        reverse("blog:feed_atom"),
        reverse("blog:author_feed", kwargs={"slug": article.author.slug}),
        reverse("comments_feed", kwargs={"slug": article.slug}),
        category.get_absolute_url(),
        category.get_feed_url(),
        category.get_atom_feed_url(),
        tag.get_absolute_url(),
        tag.get_feed_url(),
        tag.get_atom_feed_url(),
        page.get_absolute_url(),
        reverse("blog:sitemap"),
        reverse("comment-reply", args=[django_comments.get_model().objects.order_by("pk").first().pk]),
    ]


def reader_with_cookies():
    """A browser with cookies of its own that mean nothing to the site (analytics, consent, a theme)."""
    reader = BrowserClient()
    for name in ("_ga", "cookie_consent", "theme", "csrftoken", "comment_author"):
        reader.cookies[name] = secrets.token_hex(16)
    return reader


@pytest.fixture
def two_comment_pages(site_content, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    for number in range(2):
        CommentFactory(article=site_content, comment=f"Thread {number}")
    site_content.refresh_from_db()
    return site_content


@pytest.mark.parametrize("page_cache", [True, False], ids=["app-cache", "no-app-cache"])
def test_every_public_page_is_the_same_bytes_for_every_anonymous_reader(two_comment_pages, settings, page_cache):
    """Without the app cache, a page is the same within a second (its form's signed timestamp): time stands still."""
    settings.PAGE_CACHE = page_cache
    for url in public_urls(two_comment_pages):
        with time_machine.travel(timezone.now(), tick=False):
            answers = [BrowserClient().get(url), reader_with_cookies().get(url), reader_with_cookies().get(url)]

        assert [answer.status_code for answer in answers] == [200] * 3, url
        assert answers[1].content == answers[0].content == answers[2].content, url
        for answer in answers:
            assert not answer.cookies, url
            assert "Cookie" not in answer.get("Vary", ""), url
            assert set(answer["Cache-Control"].split(", ")) == {"public", "max-age=0", "s-maxage=1"}, url
            assert answer["ETag"] == answers[0]["ETag"], url


@pytest.mark.parametrize("page_cache", [True, False], ids=["app-cache", "no-app-cache"])
def test_public_page_tells_nginx_to_keep_it_no_later_than_its_last_whole_second(site_content, settings, page_cache):
    """nginx would keep an s-maxage=1 page until the end of the next second; X-Accel-Expires ends it sooner."""
    settings.PAGE_CACHE = page_cache
    BrowserClient().get(site_content.get_absolute_url())
    with time_machine.travel(timezone.now(), tick=False):
        now = int(timezone.now().timestamp())
        answers = [
            BrowserClient().get(site_content.get_absolute_url()),
            reader_with_cookies().get(site_content.get_absolute_url()),
        ]

    assert [answer["X-Accel-Expires"] for answer in answers] == [f"@{now}", f"@{now}"]


def test_public_page_never_carries_a_csrf_token(site_content):
    page = reader_with_cookies().get(site_content.get_absolute_url()).content.decode()

    assert "csrfmiddlewaretoken" not in page


def test_signed_in_reader_gets_a_fresh_private_page_with_their_token(client, site_content):
    url = site_content.get_absolute_url()
    BrowserClient().get(url)
    Article.objects.filter(pk=site_content.pk).update(title="Changed since it was cached")
    client.force_login(UserFactory())

    response = client.get(url)

    assert "<h1>Changed since it was cached</h1>" in response.content.decode()
    assert {"private", "no-cache"} <= set(response["Cache-Control"].split(", "))
    assert len(form_data(response, "comment-form")["csrfmiddlewaretoken"]) == 64


def test_cached_hit_runs_no_sql(client, site_content, django_assert_num_queries):
    url = site_content.get_absolute_url()
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert "Why Xiaomi Smartphones Banned in Pakistan?" in response.content.decode()


def test_matching_etag_answers_304_without_any_sql_query(client, site_content, django_assert_num_queries):
    url = site_content.get_absolute_url()
    etag = client.get(url)["ETag"]

    with django_assert_num_queries(0):
        response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_etag_changes_when_a_comment_is_added(client, site_content):
    url = site_content.get_absolute_url()
    etag = client.get(url)["ETag"]

    add_comment(site_content, "A new comment.")
    response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "A new comment." in response.content.decode()


def test_campaign_and_unknown_parameters_share_the_cached_page(client, site_content, django_assert_num_queries):
    url = site_content.get_absolute_url()
    page = client.get(url)

    with django_assert_num_queries(0):
        tagged = client.get(url, {"utm_source": "newsletter", "fbclid": "x", "anything": "else"})

    assert tagged.content == page.content
    assert tagged["ETag"] == page["ETag"]


def test_comment_page_number_selects_its_own_cache_entry(two_comment_pages):
    url = two_comment_pages.get_absolute_url()

    first, second = BrowserClient().get(url), BrowserClient().get(url, {"cpage": "2"})

    assert "Thread 0" in first.content.decode()
    assert "Thread 1" in second.content.decode()
    assert first["ETag"] != second["ETag"]


def test_first_comment_page_by_number_is_the_page_itself(two_comment_pages):
    url = two_comment_pages.get_absolute_url()

    assert BrowserClient().get(url, {"cpage": "1"})["ETag"] == BrowserClient().get(url)["ETag"]


@pytest.mark.parametrize("query", ["cpage=2&cpage=1", "CPAGE=2", "cp%61ge=2", "cpage=%32", "cpage=2&cpage=2"])
def test_page_number_named_in_an_odd_way_is_not_found(two_comment_pages, query):
    """A shared cache in front keys on the raw names: such a URL must not store one page under another's key."""
    assert BrowserClient().get(f"{two_comment_pages.get_absolute_url()}?{query}").status_code == 404


@pytest.mark.parametrize("page", ["3", "999999", "0", "0001", "%D9%A3", "1e3", "2x"])
def test_bogus_comment_page_is_not_found_and_not_cached(two_comment_pages, page, django_assert_max_num_queries):
    url = f"{two_comment_pages.get_absolute_url()}?cpage={page}"

    assert BrowserClient().get(url).status_code == 404
    assert BrowserClient().get(url).status_code == 404


@pytest.mark.parametrize("page", ["0001", "%D9%A3", "1e3", "last"])
def test_bogus_page_number_of_the_home_page_is_not_found(site_content, page):
    assert BrowserClient().get(f"{reverse('blog:home')}?page={page}").status_code == 404


def test_comment_posted_through_the_form_shows_to_the_next_anonymous_reader(client, site_content):
    url = site_content.get_absolute_url()
    reader = BrowserClient()
    reader.get(url)

    client.post(reverse("comment-post"), comment_form_data(client.get(url), "Fresh comment, right now."))

    assert "Fresh comment, right now." in reader.get(url).content.decode()


def test_removed_comment_disappears_from_the_cached_page(client, site_content):
    comment = add_comment(site_content, "Soon to be removed.")
    url = site_content.get_absolute_url()
    client.get(url)

    comment.is_removed = True
    comment.save()

    assert "Soon to be removed." not in client.get(url).content.decode()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_editor_change_through_the_admin_shows_to_the_next_anonymous_reader(admin_client, site_content):
    reader = BrowserClient()
    reader.get(site_content.get_absolute_url())
    change_url = reverse("admin:blog_article_change", args=[site_content.pk])
    data = form_data(admin_client.get(change_url), "article_form")
    data["title"] = "Xiaomi ban lifted"

    admin_client.post(change_url, data)

    assert "<h1>Xiaomi ban lifted</h1>" in reader.get(site_content.get_absolute_url()).content.decode()


def test_mark_as_updated_today_action_shows_the_new_date_at_once(admin_client, site_content):
    """The admin action uses queryset.update(), which sends no signals."""
    reader = BrowserClient()
    reader.get(site_content.get_absolute_url())

    admin_client.post(
        reverse("admin:blog_article_changelist"),
        {"action": "mark_updated_today", "_selected_action": [site_content.pk]},
    )

    today = timezone.localdate()
    assert f'<time datetime="{today:%Y-%m-%d}">' in reader.get(site_content.get_absolute_url()).content.decode()


def test_author_change_shows_on_their_cached_article_page(client, site_content):
    client.get(site_content.get_absolute_url())
    author = site_content.author

    author.bio = "Now writes about tablets."
    author.save()

    assert "Now writes about tablets." in client.get(site_content.get_absolute_url()).content.decode()


def test_update_history_note_corrected_on_its_own_shows_at_once(client, site_content):
    """History entries are saved without saving the article; the cached page must still change."""
    entry = site_content.record_update(note="Xiaomi repiled to PTA.")
    client.get(site_content.get_absolute_url())

    entry.note = "Xiaomi replied to PTA."
    entry.save()

    assert "Xiaomi replied to PTA." in client.get(site_content.get_absolute_url()).content.decode()


def test_renamed_article_is_gone_from_its_old_cached_address(client, site_content):
    old_url = site_content.get_absolute_url()
    client.get(old_url)

    site_content.slug = "xiaomi-ban"
    site_content.save()

    response = client.get(old_url)  # Not the cached page: the redirect to the new address.
    assert (response.status_code, response["Location"]) == (301, "/articles/xiaomi-ban/")


def test_unpublished_article_is_gone_from_the_cached_page(client, site_content):
    client.get(site_content.get_absolute_url())

    site_content.status = Article.Status.DRAFT
    site_content.save()

    assert client.get(site_content.get_absolute_url()).status_code == 404


def test_new_article_shows_on_the_cached_home_page(client, site_content):
    client.get(reverse("blog:home"))

    ArticleFactory(title="Pakistan lifts the ban")

    assert "Pakistan lifts the ban" in client.get(reverse("blog:home")).content.decode()


def test_scheduled_article_appears_on_the_cached_home_page_and_feed_on_time(client, site_content):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    ArticleFactory(title="Scheduled story", published_at=publish_at)
    for url in (reverse("blog:home"), reverse("blog:feed")):
        assert "Scheduled story" not in client.get(url).content.decode()

    with time_machine.travel(publish_at + datetime.timedelta(seconds=1)):
        for url in (reverse("blog:home"), reverse("blog:feed")):
            assert "Scheduled story" in client.get(url).content.decode()


def test_comment_form_goes_from_the_cached_page_when_comments_close(client, site_content):
    site_content.close_comments_after_days = 30
    site_content.published_at = timezone.now() - datetime.timedelta(days=29)
    site_content.save()
    assert 'id="comment-form"' in client.get(site_content.get_absolute_url()).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        page = client.get(site_content.get_absolute_url()).content.decode()

    assert 'id="comment-form"' not in page
    assert "Comments are closed." in page


def test_author_page_shows_the_authors_new_article_at_once(client, site_content):
    author_url = site_content.author.get_absolute_url()
    client.get(author_url)

    ArticleFactory(title="Her second story", author=site_content.author)

    assert "Her second story" in client.get(author_url).content.decode()


def test_missing_article_answers_404_and_is_not_cached(client, site_content):
    url = reverse("blog:article", kwargs={"slug": "coming-soon"})
    assert client.get(url).status_code == 404

    ArticleFactory(slug="coming-soon", title="Coming soon")

    assert client.get(url).status_code == 200


def test_site_name_change_shows_on_cached_pages(client, site_content):
    client.get(site_content.get_absolute_url())
    site = Site.objects.get_current()

    site.name = "Phone Journal"
    site.save()

    assert "Phone Journal" in client.get(site_content.get_absolute_url()).content.decode()


def test_held_comments_private_link_is_never_served_from_the_cache(client, site_content, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    url = site_content.get_absolute_url()
    client.get(url)

    posted = client.post(reverse("comment-post"), comment_form_data(client.get(url), "Held for now."))
    private = BrowserClient().get(posted["Location"])

    assert "Held for now." in private.content.decode()
    assert set(private["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert "Held for now." not in BrowserClient().get(url).content.decode()


def test_unknown_parameter_never_makes_a_new_render(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"q": "anything", "utm_campaign": "spring"})

    assert not queries.captured_queries
