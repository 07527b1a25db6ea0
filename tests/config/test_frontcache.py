"""nginx kept in step by the app (config.frontcache): stored pages are recorded under their cache tags, kept by
nginx for a minute, and refreshed there when a tag changes; without a refresh address, a second as before.

The refresh requests go to a real HTTP server standing in for nginx's address; tests/config/test_nginx_cache.py
drives the shipped nginx itself."""

import contextlib
import datetime
import http.server
import queue
import threading
import time

import pytest
from django.test import RequestFactory
from django.utils import timezone

from blog.models import Article
from config import cachetags, frontcache, pagecache
from tests.comment_factories import CommentFactory
from tests.forms import BrowserClient

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.seen.put((self.path, self.headers["Host"], self.headers[frontcache.HEADER]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx_address(settings):
    """A server at the refresh address that notes each request it gets (path, Host, X-Page-Refresh)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    server.seen = queue.Queue()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PAGE_CACHE_REFRESH_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield server.seen
    server.shutdown()
    server.server_close()


def kept_until(response):
    """The last whole second nginx keeps the response (X-Accel-Expires: @seconds)."""
    return int(response["X-Accel-Expires"].removeprefix("@"))


def test_without_a_refresh_address_nginx_keeps_a_page_for_its_s_maxage_only(site_content):
    before = int(time.time())
    response = BrowserClient().get(site_content.get_absolute_url())

    assert before <= kept_until(response) <= int(time.time())
    assert "s-maxage=1" in response["Cache-Control"]


def test_with_a_refresh_address_nginx_keeps_a_stored_page_for_a_minute(site_content, nginx_address, settings):
    BrowserClient().get(site_content.get_absolute_url())
    before = int(time.time())
    hit = BrowserClient().get(site_content.get_absolute_url())

    assert kept_until(hit) >= before + settings.PAGE_CACHE_REFRESHED_SECONDS


def test_a_page_that_changes_on_its_own_sooner_is_kept_only_until_then(site_content, nginx_address, settings):
    settings.PAGE_CACHE_REFRESHED_SECONDS = 60 * 60
    comments_close = timezone.now() + datetime.timedelta(minutes=20)
    Article.objects.filter(pk=site_content.pk).update(
        published_at=comments_close - datetime.timedelta(days=1), close_comments_after_days=1
    )

    response = BrowserClient().get(site_content.get_absolute_url())

    assert kept_until(response) == int(comments_close.timestamp()) - 1


def test_a_stored_page_is_recorded_under_each_of_its_tags(site_content, nginx_address):
    url = site_content.get_absolute_url()
    response = BrowserClient().get(url + "?utm_source=newsletter")

    page = f"http testserver {url}"
    for tag in response[cachetags.HEADER].split(","):
        assert page in frontcache.pages_under([tag]), tag


@pytest.fixture
def two_comment_pages(site_content, settings):
    """Three comments at two per page. Fixtures that write come before nginx_address: a refresh their writes
    asked for would otherwise race the test's own requests."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    for number in range(3):
        CommentFactory(article=site_content, comment=f"Comment {number}.")
    return site_content


@pytest.fixture
def other_article(site_content):
    return Article.objects.create(
        title="Another story", slug="another-story", author=site_content.author, body="Text.", status="published"
    )


def test_a_new_comment_refreshes_its_articles_pages_at_the_readers_address(two_comment_pages, nginx_address):
    site_content = two_comment_pages
    url = site_content.get_absolute_url()
    BrowserClient().get(url)
    BrowserClient().get(url + "?cpage=2")

    CommentFactory(article=site_content, comment="One more.")

    seen = {nginx_address.get(timeout=10), nginx_address.get(timeout=10)}
    assert seen == {(url, "testserver", "http"), (url + "?cpage=2", "testserver", "http")}


def test_a_change_to_one_article_refreshes_no_other_page(site_content, other_article, nginx_address):
    BrowserClient().get(other_article.get_absolute_url())
    BrowserClient().get(site_content.get_absolute_url())

    CommentFactory(article=site_content, comment="Only here.")

    refreshed = {nginx_address.get(timeout=10)[0]}
    with contextlib.suppress(queue.Empty):  # A busy machine may split one change's refreshes in two.
        while True:
            refreshed.add(nginx_address.get(timeout=1)[0])
    assert refreshed == {site_content.get_absolute_url()}


def test_a_page_whose_rendering_overlapped_a_change_is_not_kept(site_content, nginx_address):
    tag = cachetags.object_tag(site_content)

    def view_changed_while_rendering(request):
        response = pagecache.HttpResponse("Rendered from what was there before.")
        cachetags.add_tags(response, [tag])
        cachetags.store_times([tag])  # An editor's save commits while the page renders.
        return response

    response = pagecache.public_page(view_changed_while_rendering)(RequestFactory().get("/overlap/"))

    assert kept_until(response) <= int(time.time())
    assert frontcache.pages_under([tag]) == []
    assert pagecache.page_cache().get(pagecache.page_key(RequestFactory().get("/overlap/"), "")) is None
