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

from .factories import EditorFactory
from .forms import form_data
from .images import png_upload
from .s3 import s3_bucket
from .servers import production_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTICLE = "/articles/why-xiaomi-smartphones-banned-in-pakistan/"
REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def cluster():
    """Servers A and B with the page cache on Redis and uploads in a shared S3-compatible bucket."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    call_command("load_site_content", verbosity=0)
    with s3_bucket() as s3_env:
        shared_env = {**s3_env, "REDIS_URL": REDIS_URL, "PAGE_CACHE": "1"}
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
    data["last_updated_on"] = f"{new_date:%d/%m/%Y}"

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
