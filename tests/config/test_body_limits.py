"""Request bodies are refused by size and type before anything parses them."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.comment_factories import comment_form_data

pytestmark = pytest.mark.django_db


class NeverRead(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def post_declaring(client, path, length, content_type):
    return client.generic(
        "POST", path, b"", CONTENT_TYPE=content_type, CONTENT_LENGTH=str(length), **{"wsgi.input": NeverRead()}
    )


def test_a_body_over_the_limit_is_answered_413_unread(client, settings):
    response = post_declaring(
        client, reverse("admin:login"), settings.MAX_REQUEST_BODY_BYTES + 1, "multipart/form-data"
    )

    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_the_comment_endpoint_refuses_multipart_unread(client):
    response = post_declaring(client, reverse("comment-post"), 100, "multipart/form-data; boundary=xyz")

    assert response.status_code == 415


def test_a_multi_gigabyte_comment_body_is_answered_413_unread(client):
    response = post_declaring(client, reverse("comment-post"), 3 * 1024**3, "application/x-www-form-urlencoded")

    assert response.status_code == 413


def test_a_comment_body_over_its_own_limit_is_413(client, settings):
    response = post_declaring(
        client, reverse("comment-post"), settings.COMMENT_MAX_BODY_BYTES + 1, "application/x-www-form-urlencoded"
    )

    assert response.status_code == 413


def test_an_ordinary_url_encoded_comment_still_posts(client, article, comments_publish_at_once):
    data = comment_form_data(client, article)

    assert client.post(reverse("comment-post"), data).status_code == 302


def test_a_multipart_comment_is_refused(client, article, comments_publish_at_once):
    data = comment_form_data(client, article)
    boundary = "BoUnDaRy"
    from django.test.client import encode_multipart

    body = encode_multipart(boundary, data)
    response = client.generic("POST", reverse("comment-post"), body, f"multipart/form-data; boundary={boundary}")

    assert response.status_code == 415


def client_max_body_sizes(text):
    """The bytes each nginx `client_max_body_size` in `text` allows (nginx's "m" is MiB)."""
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    return [
        int(number) * units[unit.lower()]
        for number, unit in re.findall(r"client_max_body_size\s+(\d+)([kKmMgG]?)\s*;", text)
    ]


def test_the_shipped_nginx_refuses_bodies_over_the_apps_limit():
    sizes = client_max_body_sizes((settings.BASE_DIR / "deploy" / "nginx.conf").read_text())

    assert sizes == [settings.MAX_REQUEST_BODY_BYTES]


def test_the_deploy_guide_gives_the_proxy_the_apps_limit():
    sizes = client_max_body_sizes((settings.BASE_DIR / "docs" / "deploy.md").read_text())

    assert sizes == [settings.MAX_REQUEST_BODY_BYTES]
