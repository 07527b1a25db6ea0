"""deploy/nginx.conf as shipped, with Debian's nginx in front of gunicorn: a public page is served from
nginx's cache whatever cookies a reader sends and kept there until it changes, a new comment is refreshed
into nginx's copy by the app, a signed-in editor gets fresh private pages, and one reader's remembered
details never reach another."""

import json
import time
from urllib.parse import unquote

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse

from blog.models import Article
from tests.factories import UserFactory
from tests.forms import form_data
from tests.nginx import SHIPPED, nginx_in_front
from tests.servers import free_port, production_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTICLE = "/articles/why-xiaomi-smartphones-banned-in-pakistan/"
REDIS_URL = "redis://127.0.0.1:6379/3"
# Served by nginx from its cache, never rendered: HIT, or (past its second, which may turn between two requests)
# the stored copy while it is revalidated in the background.
SERVED_FROM_CACHE = {"HIT", "STALE", "UPDATING", "REVALIDATED"}


@pytest.fixture
def proxy():
    """nginx from deploy/nginx.conf in front of the production server (its page cache in Redis)."""
    call_command("load_site_content", verbosity=0)
    port = free_port()
    env = {
        "REDIS_URL": REDIS_URL,
        "PAGE_CACHE": "1",
        "NUM_PROXIES": "1",
        "COMMENTS_HOLD_FIRST_COMMENT": "0",
        "COMMENTS_MIN_SECONDS_TO_SUBMIT": "0",
        "PAGE_CACHE_REFRESH_URL": f"http://127.0.0.1:{port}",
    }
    with production_server(extra_env=env) as app, nginx_in_front(app.removeprefix("http://"), port=port) as base_url:
        yield base_url


def get(url, **kwargs):
    return requests.get(url, timeout=10, **kwargs)


def post_comment(proxy, text, *, email="reader@example.com", remember=False, session=None):
    reader = session or requests.Session()
    data = form_data(reader.get(proxy + ARTICLE, timeout=10), "comment-form")
    data.update(name="Proxy Reader", email=email, comment=text, **({"remember": "on"} if remember else {}))
    headers = {"Origin": proxy, "Sec-Fetch-Site": "same-origin"}
    return reader.post(f"{proxy}/comments/post/", data=data, headers=headers, timeout=10, allow_redirects=False)


def test_shipped_configuration_overrides_none_of_the_apps_cache_headers():
    assert "proxy_ignore_headers" not in SHIPPED.read_text()
    assert "proxy_cache_valid" not in SHIPPED.read_text()


def test_public_page_is_served_from_nginxs_cache_for_readers_with_any_cookies(proxy):
    first = get(proxy + ARTICLE)
    answers = [get(proxy + ARTICLE, cookies={"_ga": f"GA1.{number}", "theme": "dark"}) for number in range(3)]

    assert first.status_code == 200
    assert {answer.headers["X-Cache-Status"] for answer in answers} <= SERVED_FROM_CACHE
    assert all(answer.content == first.content for answer in answers)
    assert get(proxy + ARTICLE + "?utm_source=newsletter").headers["X-Cache-Status"] in SERVED_FROM_CACHE


def test_unchanged_page_is_kept_by_nginx_past_its_second(proxy):
    get(proxy + ARTICLE)
    time.sleep(2.2)  # Past the s-maxage a cache without the app's refreshes would keep it.

    assert get(proxy + ARTICLE).headers["X-Cache-Status"] == "HIT"


def test_new_comment_is_refreshed_into_nginx_before_a_reader_asks(proxy):
    get(proxy + ARTICLE)

    assert post_comment(proxy, "Refreshed by the app.").status_code == 302
    deadline = time.monotonic() + 10
    while "Refreshed by the app." not in (page := get(proxy + ARTICLE)).text:
        assert time.monotonic() < deadline, "the new comment never reached nginx's copy"
        assert page.headers["X-Cache-Status"] == "HIT"
        time.sleep(0.05)

    assert page.headers["X-Cache-Status"] == "HIT"


def test_signed_in_editor_gets_fresh_private_pages(proxy):
    UserFactory(username="proxy-editor", is_staff=True, is_superuser=True)
    editor = requests.Session()
    login = form_data(editor.get(f"{proxy}/admin/login/", timeout=10), "login-form")
    login.update(username="proxy-editor", password="a-long-test-password")
    editor.post(f"{proxy}/admin/login/?next=/admin/", data=login, headers={"Origin": proxy}, timeout=10)
    assert "sessionid" in editor.cookies
    get(proxy + ARTICLE)

    Article.objects.update(title="Changed a moment ago")
    page = editor.get(proxy + ARTICLE, timeout=10)

    assert "<h1>Changed a moment ago</h1>" in page.text
    assert page.headers["X-Cache-Status"] == "BYPASS"
    assert "private" in page.headers["Cache-Control"]
    assert "csrfmiddlewaretoken" in page.text
    assert "csrfmiddlewaretoken" not in get(proxy + ARTICLE).text


def test_a_readers_remembered_details_never_reach_another_reader(proxy):
    ada = requests.Session()
    posted = post_comment(proxy, "Remember me.", email="ada-private@example.com", remember=True, session=ada)
    assert json.loads(unquote(ada.cookies["comment_author"]))["email"] == "ada-private@example.com"

    pages = [ada.get(proxy + ARTICLE, timeout=10), get(proxy + ARTICLE), get(proxy + posted.headers["Location"])]

    for page in pages:
        assert "ada-private@example.com" not in page.text
        assert "Set-Cookie" not in page.headers
    assert reverse("comment-post") in pages[1].text


def test_nginx_keeps_the_cache_tags_to_itself(proxy):
    page = get(proxy + ARTICLE)

    assert page.status_code == 200
    assert "Cache-Tag" not in page.headers
    assert "proxy_hide_header Cache-Tag;" in SHIPPED.read_text()


def test_a_held_comment_reaches_only_its_author_through_nginx(proxy):
    """The held-comments answer that comments.js asks for is private: nginx never keeps one reader's for another,
    and the public page stays the same for both."""
    author = requests.Session()
    posted = post_comment(proxy, "See https://a.example/ and https://b.example/", session=author)  # Two links: held.
    assert posted.status_code == 302
    article = Article.objects.get()
    held_url = proxy + reverse("comment-held", kwargs={"article_pk": article.pk})

    own = author.get(held_url, timeout=10)
    other = get(held_url, cookies={"comments_held": str(article.pk)})
    again = get(held_url, cookies={"comments_held": str(article.pk)})

    assert [comment["id"] for comment in own.json()["comments"]] != []
    assert "no-store" in own.headers["Cache-Control"]
    assert other.json()["comments"] == []
    assert again.headers["X-Cache-Status"] not in ("HIT", "STALE", "UPDATING")
    assert "awaiting moderation" not in get(proxy + ARTICLE).text
    assert "awaiting moderation" not in author.get(proxy + ARTICLE, timeout=10).text
