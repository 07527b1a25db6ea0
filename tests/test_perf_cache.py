"""The page cache (blog/caching.py) with Django's local-memory backend: fast hits, never stale."""

import copy
import datetime
import time
from pathlib import Path

import django_comments
import pytest
import time_machine
from blog.caching import CachedPage, RecentPages
from django.contrib.sites.models import Site
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from blog.models import Article

from .factories import ArticleFactory
from .forms import form_data
from .perf import comment_form_data, locmem_page_cache  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_page_cache")]


def add_comment(article, text):
    return django_comments.get_model().objects.create(
        content_object=article, site=Site.objects.get_current(), user_name="Ann", comment=text, is_public=True
    )


def test_cold_article_page_runs_the_same_queries_with_no_comments_and_with_many(client, site_content, settings):
    """Rendering cost must not grow with the thread: no per-comment query."""
    settings.PAGE_CACHE = False
    url = site_content.get_absolute_url()
    client.get(url)  # Fills per-process caches (content types, the site).
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    without_comments = len(queries)
    for number in range(30):
        add_comment(site_content, f"Comment {number}")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert "Comment 0" in response.content.decode()  # Oldest first; later ones are on the next comment page.
    assert len(queries) == without_comments


def test_each_reader_gets_their_own_comment_form_from_the_cached_page(site_content):
    """The CSRF token must be the reader's own: a second reader can post from the cached page."""
    url = site_content.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(url)
    page = second.get(url)

    response = second.post(reverse("comments-post-comment"), comment_form_data(page, "Second reader here."))

    assert response.status_code == 302
    assert "Second reader here." in first.get(url).content.decode()


def test_cached_page_never_holds_a_readers_csrf_token(client, site_content):
    url = site_content.get_absolute_url()
    client.get(reverse("comment-form-token"))  # This reader has a CSRF cookie: their page has their token.
    first_token = form_data(client.get(url), "comment-form")["csrfmiddlewaretoken"]

    other_reader = Client()
    other_reader.get(reverse("comment-form-token"))
    other_token = form_data(other_reader.get(url), "comment-form")["csrfmiddlewaretoken"]

    assert other_token != first_token
    assert other_reader.cookies["csrftoken"].value != client.cookies["csrftoken"].value


def test_comment_posted_through_the_form_shows_to_the_next_anonymous_reader(client, site_content):
    url = site_content.get_absolute_url()
    reader = Client()
    reader.get(url)

    client.post(reverse("comments-post-comment"), comment_form_data(client.get(url), "Fresh comment, right now."))

    assert "Fresh comment, right now." in reader.get(url).content.decode()


def test_removed_comment_disappears_from_the_cached_page(client, site_content):
    comment = add_comment(site_content, "Soon to be removed.")
    url = site_content.get_absolute_url()
    client.get(url)

    comment.is_removed = True
    comment.save()

    assert "Soon to be removed." not in client.get(url).content.decode()


def test_editor_change_through_the_admin_shows_to_the_next_anonymous_reader(editor_client, site_content):
    reader = Client()
    reader.get(site_content.get_absolute_url())
    change_url = reverse("admin:blog_article_change", args=[site_content.pk])
    data = form_data(editor_client.get(change_url), "article_form")
    data["title"] = "Xiaomi ban lifted"

    editor_client.post(change_url, data)

    assert "<h1>Xiaomi ban lifted</h1>" in reader.get(site_content.get_absolute_url()).content.decode()


def test_author_change_shows_on_their_cached_article_page(client, site_content):
    client.get(site_content.get_absolute_url())
    author = site_content.author

    author.bio = "Now writes about tablets."
    author.save()

    assert "Now writes about tablets." in client.get(site_content.get_absolute_url()).content.decode()


def test_mark_as_updated_today_action_shows_the_new_date_at_once(editor_client, site_content):
    """The admin action uses queryset.update(), which sends no signals."""
    reader = Client()
    reader.get(site_content.get_absolute_url())

    editor_client.post(
        reverse("admin:blog_article_changelist"),
        {"action": "mark_updated_today", "_selected_action": [site_content.pk]},
    )

    today = timezone.localdate()
    assert f'<time datetime="{today:%Y-%m-%d}">' in reader.get(site_content.get_absolute_url()).content.decode()


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

    assert client.get(old_url).status_code == 404


def test_unpublished_article_is_gone_from_the_cached_page(client, site_content):
    client.get(site_content.get_absolute_url())

    site_content.status = Article.Status.DRAFT
    site_content.save()

    assert client.get(site_content.get_absolute_url()).status_code == 404


def test_new_article_shows_on_the_cached_home_page(client, site_content):
    client.get(reverse("blog:home"))

    ArticleFactory(title="Pakistan lifts the ban")

    assert "Pakistan lifts the ban" in client.get(reverse("blog:home")).content.decode()


def test_scheduled_article_appears_on_the_cached_home_page_on_time(client, site_content):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    ArticleFactory(title="Scheduled story", published_at=publish_at)
    assert "Scheduled story" not in client.get(reverse("blog:home")).content.decode()

    with time_machine.travel(publish_at + datetime.timedelta(seconds=1)):
        assert "Scheduled story" in client.get(reverse("blog:home")).content.decode()


def test_author_page_shows_the_authors_new_article_at_once(client, site_content):
    author_url = site_content.author.get_absolute_url()
    client.get(author_url)

    ArticleFactory(title="Her second story", author=site_content.author)

    assert "Her second story" in client.get(author_url).content.decode()


def test_signed_in_editor_gets_a_fresh_private_page(editor_client, site_content):
    url = site_content.get_absolute_url()
    Client().get(url)
    Article.objects.filter(pk=site_content.pk).update(title="Changed behind the cache")

    response = editor_client.get(url)

    assert "<h1>Changed behind the cache</h1>" in response.content.decode()
    assert "private" in response.headers["Cache-Control"]


def test_article_page_with_a_readers_form_tells_http_caches_to_revalidate_and_keep_it_private(client, site_content):
    client.get(reverse("comment-form-token"))  # A CSRF cookie: the form carries this reader's token.

    response = client.get(site_content.get_absolute_url())

    assert set(response.headers["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert "Cookie" in response.headers["Vary"]
    assert response.headers["ETag"].startswith('W/"')


def test_reply_page_without_cookies_is_private_for_it_carries_a_csrf_token(client, site_content):
    parent = add_comment(site_content, "Reply to me.")

    response = client.get(f"{site_content.get_absolute_url()}?reply_to={parent.pk}")

    assert set(response.headers["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert len(form_data(response, "comment-form", javascript=False)["csrfmiddlewaretoken"]) == 64


def test_article_page_without_cookies_may_be_kept_by_shared_caches_that_revalidate(client, site_content):
    """Nothing in it is the reader's own; Vary: Cookie keeps it from readers who have cookies."""
    response = client.get(site_content.get_absolute_url())

    assert set(response.headers["Cache-Control"].split(", ")) == {"public", "no-cache"}
    assert "Cookie" in response.headers["Vary"]


def test_home_page_may_be_kept_by_shared_caches_that_revalidate(client, site_content):
    response = client.get(reverse("blog:home"))

    assert set(response.headers["Cache-Control"].split(", ")) == {"public", "no-cache"}


def test_article_last_modified_is_its_last_updated_on_date(client, site_content):
    response = client.get(site_content.get_absolute_url())

    assert response.headers["Last-Modified"] == "Thu, 04 Aug 2016 00:00:00 GMT"


def test_if_modified_since_last_updated_on_answers_304(client, site_content):
    response = client.get(
        site_content.get_absolute_url(), headers={"if-modified-since": "Thu, 04 Aug 2016 00:00:00 GMT"}
    )

    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_before_last_updated_on_answers_the_page(client, site_content):
    response = client.get(
        site_content.get_absolute_url(), headers={"if-modified-since": "Wed, 03 Aug 2016 00:00:00 GMT"}
    )

    assert response.status_code == 200


def test_matching_etag_answers_304_without_any_sql_query(client, site_content, django_assert_num_queries):
    url = site_content.get_absolute_url()
    client.get(url)  # The first answer sets the reader's CSRF cookie, which is part of the ETag.
    etag = client.get(url).headers["ETag"]

    with django_assert_num_queries(0):
        response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.headers["ETag"] == etag


def test_etag_changes_when_a_comment_is_added(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)
    etag = client.get(url).headers["ETag"]

    add_comment(site_content, "A new comment.")
    response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response.headers["ETag"] != etag


def test_if_none_match_takes_precedence_over_if_modified_since(client, site_content):
    """RFC 9110 13.2.2: a stale ETag means a full answer even though the date is unchanged."""
    url = site_content.get_absolute_url()
    client.get(url)
    etag = client.get(url).headers["ETag"]
    add_comment(site_content, "A new comment.")

    response = client.get(
        url, headers={"if-none-match": etag, "if-modified-since": http_date(timezone.now().timestamp())}
    )

    assert response.status_code == 200
    assert "A new comment." in response.content.decode()


def test_etag_changes_for_another_reader(client, site_content):
    """The body holds the reader's CSRF token: one reader's validator must not match another's page."""
    url = site_content.get_absolute_url()
    client.get(reverse("comment-form-token"))
    etag = client.get(url).headers["ETag"]

    other_reader = Client()
    other_reader.get(reverse("comment-form-token"))

    assert other_reader.get(url).headers["ETag"] != etag


def test_readers_without_cookies_share_one_etag(client, site_content):
    """Their page holds nothing of their own (no CSRF token), so an HTTP cache may revalidate it for all."""
    url = site_content.get_absolute_url()

    assert Client().get(url).headers["ETag"] == client.get(url).headers["ETag"]


# --- Readers without cookies, answered by PageCacheMiddleware --------------------


def test_warm_page_for_a_reader_without_cookies_needs_no_query_nor_session_or_auth(
    client, site_content, django_assert_num_queries
):
    url = site_content.get_absolute_url()
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "user")  # AuthenticationMiddleware never ran.
    assert "Why Xiaomi Smartphones Banned in Pakistan?" in response.content.decode()


def test_middleware_answer_has_the_views_headers_and_body(client, site_content):
    url = site_content.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False):  # The form's signed timestamp is the same second.
        from_view = client.get(url)
        from_middleware = client.get(url)

    assert hasattr(from_view.wsgi_request, "user")
    assert not hasattr(from_middleware.wsgi_request, "user")
    assert dict(from_middleware.headers) == dict(from_view.headers)
    assert from_middleware.content == from_view.content


def test_reader_with_cookies_goes_through_the_view(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)
    client.get(reverse("comment-form-token"))

    response = client.get(url)

    assert hasattr(response.wsgi_request, "user")


def test_middleware_answers_head_requests(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)

    response = client.head(url)

    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "user")


def test_middleware_refuses_a_host_not_allowed(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)

    response = client.get(url, headers={"host": "evil.example"})

    assert response.status_code == 400


def test_middleware_leaves_a_page_that_changed_to_the_view(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)
    add_comment(site_content, "Posted since the page was cached.")

    response = client.get(url)

    assert hasattr(response.wsgi_request, "user")
    assert "Posted since the page was cached." in response.content.decode()


def test_middleware_leaves_an_unpublished_article_to_the_view(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)
    site_content.status = Article.Status.DRAFT
    site_content.save()

    assert client.get(url).status_code == 404


def test_comment_page_number_selects_its_own_cache_entry(client, site_content):
    url = site_content.get_absolute_url()

    first = client.get(url).headers["ETag"]
    second = client.get(url, {"cpage": "2"}).headers["ETag"]

    assert first != second


def test_unknown_query_parameter_renders_afresh(client, site_content):
    url = site_content.get_absolute_url()
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"q": "anything"})

    assert any("blog_article" in query["sql"] for query in queries.captured_queries)


def test_campaign_parameters_share_the_cached_page(client, site_content, django_assert_num_queries):
    url = site_content.get_absolute_url()
    client.get(url)

    with django_assert_num_queries(0):
        client.get(url, {"utm_source": "newsletter"})


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


def test_memory_of_recent_pages_forgets_the_oldest_beyond_its_size():
    pages = RecentPages(max_bytes=10)
    far_future = time.time() + 3600
    pages.put("a", CachedPage(parts=(b"x" * 6,), expires_at=far_future))
    pages.put("b", CachedPage(parts=(b"y" * 6,), expires_at=far_future))

    assert pages.get("a") is None
    assert pages.get("b").parts == (b"yyyyyy",)


def test_memory_of_recent_pages_forgets_expired_entries():
    pages = RecentPages(max_bytes=10)
    pages.put("a", CachedPage(parts=(b"x",), expires_at=time.time() - 1))

    assert pages.get("a") is None


def test_page_with_a_csrf_token_outside_the_per_reader_form_is_not_cached(client, site_content, settings):
    """Caching it would give every reader the first reader's CSRF token."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [Path(__file__).parent / "templates_csrf_in_thread", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    url = site_content.get_absolute_url()
    first_token = form_data(client.get(url), "flag-form")["csrfmiddlewaretoken"]

    other_reader = Client()
    other_reader_token = form_data(other_reader.get(url), "flag-form")["csrfmiddlewaretoken"]

    assert other_reader_token != first_token
