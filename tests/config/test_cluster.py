"""Several app servers (gunicorn) sharing one PostgreSQL, one Redis and one object store.

Each server keeps nothing of its own: what one server is told, the other shows at once.
"""

import datetime
import html
import re

import pytest
import redis
import requests
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from authors.models import Author
from blog.models import Article
from tests.factories import EditorFactory
from tests.forms import form_data
from tests.image_files import png_upload
from tests.s3 import s3_bucket
from tests.servers import production_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTICLE = "/articles/why-xiaomi-smartphones-banned-in-pakistan/"
REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def cluster():
    """Servers A and B with the page cache on Redis and uploads in a shared S3-compatible bucket."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    call_command("load_site_content", verbosity=0)
    with s3_bucket() as s3_env:
        shared_env = {
            **s3_env,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": "cluster",  # Shared by both servers.
            "PAGE_CACHE": "1",
            # Comments posted in these tests are published at once and may be sent straight away.
            "COMMENTS_HOLD_FIRST_COMMENT": "0",
            "COMMENTS_MIN_SECONDS_TO_SUBMIT": "0",
        }
        with production_server(extra_env=shared_env) as server_a, production_server(extra_env=shared_env) as server_b:
            yield server_a, server_b, s3_env
    redis.Redis.from_url(REDIS_URL).flushdb()


def log_in(server, user):
    session = requests.Session()
    login_page = session.get(f"{server}/admin/login/", timeout=10)
    data = form_data(login_page, "login-form")
    data.update(username=user.username, password="a-long-test-password")
    response = session.post(f"{server}/admin/login/?next=/admin/", data=data, timeout=10)
    assert response.url.endswith("/admin/"), response.text[:500]
    return session


def test_editors_last_updated_on_change_through_a_shows_on_b_cached_page(cluster):
    server_a, server_b, _ = cluster
    assert "04/08/2016" in requests.get(server_b + ARTICLE, timeout=10).text  # B has cached the page.
    editor = log_in(server_a, EditorFactory())
    change_url = server_a + reverse("admin:blog_article_change", args=[Article.objects.get().pk])
    data = form_data(editor.get(change_url, timeout=10), "article_form")
    new_date = timezone.localdate() - datetime.timedelta(days=1)
    data.update(last_updated_on=f"{new_date:%d/%m/%Y}", change_kind="correction")

    saved = editor.post(change_url, data=data, timeout=10)

    assert "was changed successfully" in saved.text
    page = requests.get(server_b + ARTICLE, timeout=10).text
    assert f'<time datetime="{new_date:%Y-%m-%d}">{new_date:%d/%m/%Y}</time>' in page


def test_author_photo_uploaded_through_a_is_served_to_readers_of_b_from_the_shared_bucket(cluster):
    server_a, server_b, s3_env = cluster
    editor = log_in(server_a, EditorFactory())
    change_url = server_a + reverse("admin:authors_author_change", args=[Author.objects.get().pk])
    data = form_data(editor.get(change_url, timeout=10), "author_form")

    saved = editor.post(change_url, data=data, files={"photo": ("portrait.png", png_upload().read(), "image/png")})

    assert "was changed successfully" in saved.text
    author_page = requests.get(f"{server_b}/authors/alison-johnson/", timeout=10).text
    photo_url = html.unescape(re.search(r'<img class="avatar" src="([^"]+)"', author_page).group(1))
    assert photo_url.startswith(s3_env["AWS_S3_ENDPOINT_URL"] + "/blog-media/")
    photo = requests.get(photo_url, timeout=10)
    assert photo.status_code == 200
    assert photo.headers["Content-Type"].startswith("image/")


def test_sessions_are_shared_so_an_editor_logged_in_on_a_is_logged_in_on_b(cluster):
    server_a, server_b, _ = cluster
    editor = log_in(server_a, EditorFactory())

    response = editor.get(f"{server_b}/admin/", timeout=10)

    assert response.url == f"{server_b}/admin/"
    assert "Site administration" in response.text or "Articles" in response.text


def post_comment(server, text, email):
    """A reader loads the article on `server`, fills in "Leave a Comment" and sends it."""
    reader = requests.Session()
    data = form_data(reader.get(server + ARTICLE, timeout=10), "comment-form")
    data.update(name="Cluster Reader", email=email, comment=text)
    return reader.post(f"{server}/comments/post/", data=data, timeout=10, allow_redirects=False)


def test_comment_posted_through_a_shows_at_once_on_b_cached_page(cluster):
    server_a, server_b, _ = cluster
    assert "First through server A." not in requests.get(server_b + ARTICLE, timeout=10).text  # Cached on B now.

    posted = post_comment(server_a, "First through server A.", "a-reader@example.com")

    assert posted.status_code == 302
    assert "First through server A." in requests.get(server_b + ARTICLE, timeout=10).text


def test_comment_posted_through_a_shows_at_once_on_every_worker_of_b(cluster):
    """Nothing per worker: every worker of B reads the one site version in Redis, which A's comment moved."""
    server_a, server_b, _ = cluster
    for _ in range(10):  # Every worker of B has served the page and knows its version.
        assert "Told to every worker." not in requests.get(server_b + ARTICLE, timeout=10).text

    assert post_comment(server_a, "Told to every worker.", "every-worker@example.com").status_code == 302

    pages = [requests.get(server_b + ARTICLE, timeout=10).text for _ in range(10)]
    assert all("Told to every worker." in page for page in pages)


def test_comment_rate_limit_counts_posts_to_both_servers(cluster):
    server_a, server_b, _ = cluster
    statuses = [
        post_comment(server, f"Comment number {number}.", f"reader{number}@example.com").status_code
        for number, server in enumerate([server_a, server_b, server_a, server_b, server_a])
    ]

    refused = post_comment(server_b, "One too many.", "reader-extra@example.com")

    assert statuses == [302] * 5
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
