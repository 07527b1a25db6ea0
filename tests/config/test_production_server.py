"""The production-style server (gunicorn, DEBUG off), as `make serve` runs it, over real HTTP."""

import re
import urllib.error
import urllib.request

import pytest

from tests.factories import ArticleFactory, AuthorFactory
from tests.image_files import png_upload
from tests.pgbouncer import pgbouncer
from tests.servers import production_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_production_server_serves_the_article_and_hashed_static_files():
    article = ArticleFactory(title="Served by gunicorn")
    with production_server() as base_url:
        status, _, page = fetch(base_url + article.get_absolute_url())
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
        css_status, css_headers, _ = fetch(base_url + stylesheet)

    assert status == 200
    assert "Served by gunicorn" in page
    assert css_status == 200
    assert css_headers["Content-Type"].startswith("text/css")
    assert "immutable" in css_headers["Cache-Control"]


def test_production_server_answers_unknown_pages_with_the_friendly_404():
    with production_server() as base_url:
        status, _, page = fetch(base_url + "/articles/nothing-here/")

    assert status == 404
    assert "Page not found" in page


def test_the_site_works_through_pgbouncer_in_transaction_pooling_mode():
    article = ArticleFactory(title="Pooled")
    with (
        pgbouncer() as pooled_url,
        production_server(db_url=pooled_url, extra_env={"DATABASE_TRANSACTION_POOLING": "1"}) as base_url,
    ):
        health = fetch(base_url + "/healthz")
        pages = [fetch(base_url + article.get_absolute_url()) for _ in range(20)]
        login = fetch(base_url + "/admin/login/")

    assert health[0] == 200
    assert {status for status, _, _ in pages} == {200}
    assert "Pooled" in pages[-1][2]
    assert login[0] == 200


def test_production_server_serves_uploaded_media_from_local_storage():
    author = AuthorFactory()
    author.photo.save("portrait.png", png_upload(), save=True)

    with production_server() as base_url:
        status, headers, _ = fetch_bytes(base_url + author.photo.url)

    assert status == 200
    assert headers["Content-Type"] == "image/png"


def fetch_bytes(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()
