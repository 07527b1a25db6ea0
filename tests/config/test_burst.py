"""Floods and bursts over real HTTP against the production server (gunicorn, several workers, DEBUG off).

Each worker is its own process, so only counts kept in PostgreSQL can hold them to one limit. Gunicorn's sync
workers close the connection after each answer, so every post is accepted by whichever worker is free.
Tests record what they measured (`record_property`) for `make check-security`.
"""

import threading

import pytest
import requests
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from tests.factories import ArticleFactory
from tests.forms import form_data
from tests.servers import production_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
]
QUICK = {"COMMENTS_MIN_SECONDS_TO_SUBMIT": "0", "COMMENTS_HOLD_FIRST_COMMENT": "0"}


class Reader:
    """A browser: opens the article page (cookies and all), fills in the comment form, sends it."""

    def __init__(self, base_url, article):
        self.base_url = base_url
        self.session = requests.Session()
        self.page = self.session.get(base_url + article.get_absolute_url(), timeout=10)
        assert self.page.status_code == 200

    def filled_form(self, **changes):
        return {**form_data(self.page, "comment-form"), "name": "Burst Reader", **changes}

    def send(self, data):
        return self.session.post(self.base_url + reverse("comment-post"), data, allow_redirects=False, timeout=30)


def send_together(senders):
    """Run every (reader, data) send at the same instant, each from its own thread; return the answers."""
    barrier = threading.Barrier(len(senders))
    answers = [None] * len(senders)

    def send(index, reader, data):
        barrier.wait()
        answers[index] = reader.send(data)

    threads = [threading.Thread(target=send, args=(i, *sender)) for i, sender in enumerate(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_sixth_comment_in_a_minute_gets_429_whichever_worker_answers(record_property):
    article = ArticleFactory()
    with production_server(workers=3, extra_env=QUICK) as base_url:
        reader = Reader(base_url, article)
        answers = [
            reader.send(reader.filled_form(email=f"flood{n}@example.com", comment=f"Flood {n}")) for n in range(7)
        ]

    refused = answers[5]
    record_property("flood_statuses", ",".join(str(answer.status_code) for answer in answers))
    assert [answer.status_code for answer in answers] == [302] * 5 + [429, 429]
    assert 1 <= int(refused.headers["Retry-After"]) <= 120  # Up to two windows (comments.ratelimit).
    assert "Please slow down" in refused.text
    assert form_data(refused, "comment-form")["comment"] == "Flood 5"
    assert XtdComment.objects.filter(object_pk=str(article.pk)).count() == 5


def test_fifty_readers_posting_at_once_each_get_their_comment_stored_once(record_property):
    """One machine plays 50 readers from one address, so the flood limit is raised to 1,000 for this test."""
    article = ArticleFactory()
    with production_server(workers=4, extra_env={**QUICK, "COMMENTS_RATE_LIMIT": "1000"}) as base_url:
        readers = [Reader(base_url, article) for _ in range(50)]
        senders = [
            (reader, reader.filled_form(email=f"burst{n}@example.com", comment=f"Burst comment {n}"))
            for n, reader in enumerate(readers)
        ]
        answers = send_together(senders)

    stored = list(XtdComment.objects.filter(object_pk=str(article.pk)).values_list("comment", flat=True))
    expected = {f"Burst comment {n}" for n in range(50)}
    record_property("burst_readers", 50)
    record_property("burst_lost", len(expected - set(stored)))
    record_property("burst_duplicates", len(stored) - len(set(stored)))
    record_property("burst_500s", sum(answer.status_code >= 500 for answer in answers))
    assert [answer.status_code for answer in answers] == [302] * 50
    assert sorted(stored) == sorted(expected)


def test_a_reader_double_submitting_over_http_gets_one_comment(record_property):
    article = ArticleFactory()
    with production_server(workers=3, extra_env=QUICK) as base_url:
        reader = Reader(base_url, article)
        data = reader.filled_form(email="twice@example.com", comment="Sent twice at once.")
        answers = send_together([(reader, data), (reader, data)])

    stored = XtdComment.objects.filter(object_pk=str(article.pk), comment="Sent twice at once.").count()
    record_property("double_submit_stored", stored)
    assert [answer.status_code for answer in answers] == [302, 302]
    assert stored == 1


def test_production_answers_carry_the_security_headers(record_property):
    article = ArticleFactory()
    with production_server(workers=2) as base_url:
        answers = {
            "article": requests.get(base_url + article.get_absolute_url(), timeout=10),
            "not found": requests.get(base_url + "/articles/nothing-here/", timeout=10),
            "admin login": requests.get(base_url + reverse("admin:login"), timeout=10),
        }

    present = {
        name: [header for header in SECURITY_HEADERS if header in answer.headers] for name, answer in answers.items()
    }
    record_property("headers_present", min(len(headers) for headers in present.values()))
    record_property("headers_expected", len(SECURITY_HEADERS))
    assert present == dict.fromkeys(answers, SECURITY_HEADERS)
