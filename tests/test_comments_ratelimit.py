"""Flood control: counts live in PostgreSQL, the refusal is a human 429 page with Retry-After."""

import pytest
from django.test import Client
from django_comments_xtd.models import XtdComment

from comments.models import PostingCounter

from .comment_factories import comment_form_data, post_comment
from .forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _comment_settings(comments_publish_at_once):
    comments_publish_at_once.COMMENTS_RATE_LIMIT = 5


def test_sixth_comment_in_a_minute_from_one_ip_gets_429_with_retry_after(client, article):
    for n in range(5):
        assert post_comment(client, article, email=f"r{n}@example.com", comment=f"Comment {n}").status_code == 302

    response = post_comment(client, article, email="r6@example.com", comment="One too many", name="Eve")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Please slow down" in response.content.decode()
    assert XtdComment.objects.count() == 5


def test_one_email_is_limited_across_different_ips(article):
    """Two clients (as two gunicorn workers would see them) share the counts kept in the database."""
    for n in range(5):
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert post_comment(client, article, comment=f"Comment {n}").status_code == 302

    response = post_comment(Client(REMOTE_ADDR="10.0.0.99"), article, comment="Again")

    assert response.status_code == 429
    assert PostingCounter.objects.get(key="email:ada@example.com").count == 6


def test_other_clients_are_not_limited(client, article):
    for n in range(6):
        post_comment(client, article, email=f"r{n}@example.com", comment=f"Comment {n}")

    response = post_comment(Client(REMOTE_ADDR="10.9.9.9"), article, email="other@example.com", comment="Mine")

    assert response.status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(article):
    for n in range(5):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        post_comment(client, article, email=f"r{n}@example.com", comment=f"Comment {n}")

    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert post_comment(client, article, email="x@example.com", comment="Spoofed").status_code == 429


def test_forwarded_for_names_the_client_behind_one_trusted_proxy(article, settings):
    settings.NUM_PROXIES = 1
    for n in range(6):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"spoofed, 203.0.113.{n}")
        assert post_comment(client, article, email=f"r{n}@example.com", comment=f"C {n}").status_code == 302

    assert XtdComment.objects.get(comment="C 5").ip_address == "203.0.113.5"


def test_rate_limit_page_keeps_the_readers_text_in_a_form_to_send_again(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 0
    data = comment_form_data(client, article, comment="Worth waiting for.")

    response = client.post("/comments/post/", data)

    assert response.status_code == 429
    assert "Worth waiting for." in form_data(response, "comment-form")["comment"]
