"""Flood control: counts live in PostgreSQL, the refusal is a human 429 page with Retry-After."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from comments.models import PostingCounter
from comments.ratelimit import seconds_to_wait
from tests.comment_factories import comment_form_data, post_comment
from tests.forms import BrowserClient, form_data

pytestmark = pytest.mark.django_db


def soon_at_second(second):
    """A moment a few minutes from now, `second` seconds into its minute: after the article is published,
    and on any date the tests run."""
    moment = timezone.now() + datetime.timedelta(minutes=2)
    return moment.replace(second=second, microsecond=0)


@pytest.fixture(autouse=True)
def _comment_settings(comments_publish_at_once):
    comments_publish_at_once.COMMENTS_RATE_LIMIT = 5


def test_sixth_comment_in_a_minute_from_one_ip_gets_429_with_retry_after(client, article):
    for n in range(5):
        assert post_comment(client, article, email=f"r{n}@example.com", comment=f"Comment {n}").status_code == 302

    response = post_comment(client, article, email="r6@example.com", comment="One too many", name="Eve")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 120  # Up to two windows (comments.ratelimit).
    assert "Please slow down" in response.content.decode()
    assert XtdComment.objects.count() == 5


def test_posts_either_side_of_a_window_edge_are_counted_together(client, article):
    """Fixed one-minute windows alone would let a burst of twice the limit through across the minute."""
    with time_machine.travel(soon_at_second(57), tick=False) as clock:
        for n in range(3):
            assert post_comment(client, article, email=f"r{n}@example.com", comment=f"Early {n}").status_code == 302
        clock.shift(5)  # Two seconds into the next minute: a new fixed window.
        for n in range(3, 5):
            assert post_comment(client, article, email=f"r{n}@example.com", comment=f"Late {n}").status_code == 302

        response = post_comment(client, article, email="r5@example.com", comment="Sixth in eight seconds")

    assert response.status_code == 429


def test_posting_works_again_after_retry_after(client, article):
    with time_machine.travel(soon_at_second(30), tick=False) as clock:
        for n in range(5):
            post_comment(client, article, email=f"r{n}@example.com", comment=f"Comment {n}")
        retry_after = int(post_comment(client, article, email="r5@example.com", comment="Too soon")["Retry-After"])
        clock.shift(retry_after)

        response = post_comment(client, article, email="r6@example.com", comment="Waited as told")

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("current", "previous", "elapsed", "expected"),
    [
        (5, 0, 30, 0),  # At the limit.
        (6, 0, 30, 50),  # Next window, once a third of this one has slid out: 1 + 6 * 2/3 = 5.
        (3, 3, 1, 39),  # This window, once the previous one weighs 1: 4 + 3 * (1 - 40/60) = 5.
        (2, 3, 1, 0),  # 2 + 3 * 59/60 = 4.95.
    ],
)
def test_seconds_to_wait_slides_the_window(current, previous, elapsed, expected):
    assert seconds_to_wait(current, previous, elapsed, window=60, limit=5) == expected


def test_one_email_is_limited_across_different_ips(article):
    """Two clients (as two gunicorn workers would see them) share the counts kept in the database.

    The clock stands still so that all six posts fall in one minute's counter row."""
    with time_machine.travel(soon_at_second(10), tick=False):
        for n in range(5):
            client = BrowserClient(REMOTE_ADDR=f"10.0.0.{n + 1}")
            assert post_comment(client, article, comment=f"Comment {n}").status_code == 302

        response = post_comment(BrowserClient(REMOTE_ADDR="10.0.0.99"), article, comment="Again")

    assert response.status_code == 429
    assert PostingCounter.objects.get(key="email:ada@example.com").count == 6


def test_other_clients_are_not_limited(client, article):
    for n in range(6):
        post_comment(client, article, email=f"r{n}@example.com", comment=f"Comment {n}")

    response = post_comment(BrowserClient(REMOTE_ADDR="10.9.9.9"), article, email="other@example.com", comment="Mine")

    assert response.status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(article):
    for n in range(5):
        client = BrowserClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        post_comment(client, article, email=f"r{n}@example.com", comment=f"Comment {n}")

    client = BrowserClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert post_comment(client, article, email="x@example.com", comment="Spoofed").status_code == 429


def test_forwarded_for_names_the_client_behind_one_trusted_proxy(article, settings):
    settings.NUM_PROXIES = 1
    for n in range(6):
        client = BrowserClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"spoofed, 203.0.113.{n}")
        assert post_comment(client, article, email=f"r{n}@example.com", comment=f"C {n}").status_code == 302

    assert XtdComment.objects.get(comment="C 5").ip_address == "203.0.113.5"


def test_rate_limit_page_keeps_the_readers_text_in_a_form_to_send_again(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 0
    data = comment_form_data(client, article, comment="Worth waiting for.")

    response = client.post("/comments/post/", data)

    assert response.status_code == 429
    assert "Worth waiting for." in form_data(response, "comment-form")["comment"]


def test_ipv6_addresses_in_one_64_share_one_limit(article):
    for n in range(5):
        client = BrowserClient(REMOTE_ADDR=f"2001:db8:5:6::{n + 1:x}")
        assert post_comment(client, article, email=f"r{n}@example.com", comment=f"C {n}").status_code == 302

    response = post_comment(
        BrowserClient(REMOTE_ADDR="2001:db8:5:6:abcd::1"), article, email="z@example.com", comment="6"
    )

    assert response.status_code == 429
    other_network = BrowserClient(REMOTE_ADDR="2001:db8:5:7::1")
    assert post_comment(other_network, article, email="y@example.com", comment="Mine").status_code == 302
    assert XtdComment.objects.get(comment="C 4").ip_address == "2001:db8:5:6::5"  # Stored as sent.
