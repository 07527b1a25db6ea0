"""Comment mails go out through the task queue: an SMTP outage never fails or slows a post, and the mail is
delivered once the server takes it again. A real SMTP server (aiosmtpd) on 127.0.0.1 refuses, then accepts."""

import logging
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django_comments_xtd.models import XtdComment
from django_tasks_db.models import DBTaskResult

from tests.comment_factories import COMMITTED_COMMENTS, CommentFactory, post_comment
from tests.forms import BrowserClient
from tests.servers import database_url, free_port
from tests.smtp import FlakyHandler, mail_text, smtp_server
from tests.tasks import run_queued_tasks

# Mail is queued when the comment's transaction commits: the tests commit for real.
pytestmark = COMMITTED_COMMENTS


@pytest.fixture
def parent(article):
    return CommentFactory(article=article, user_email="grace@example.com", followup=True)


@pytest.fixture
def smtp(settings):
    """Point Django's SMTP backend at a local server; returns a function that starts one for a handler."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 5
    settings.MAIL_RETRY_BASE_SECONDS = 0  # Retries are due at once; backoff is tested on its own.

    def start(handler):
        server = smtp_server(handler)
        settings.EMAIL_PORT = server.__enter__()
        return server

    servers = []
    yield lambda handler: servers.append(start(handler))
    for server in servers:
        server.__exit__(None, None, None)


def post_reply(article, parent, text="A reply for Grace."):
    response = post_comment(BrowserClient(), article, replying_to=parent, comment=text)
    assert response.status_code == 302
    return XtdComment.objects.get(comment=text)


def recipients(handler):
    return [envelope.rcpt_tos for envelope in handler.received]


def test_post_succeeds_while_the_smtp_server_refuses_and_the_mail_arrives_after_a_retry(smtp, article, parent):
    handler = FlakyHandler(refusals=1)
    smtp(handler)

    reply = post_reply(article, parent)

    assert reply.is_public
    assert (handler.refused, handler.received) == (0, [])  # Nothing was sent inside the request.
    assert DBTaskResult.objects.ready().count() == 1
    run_queued_tasks()
    assert handler.refused == 1
    assert recipients(handler) == [["grace@example.com"]]
    assert "A reply for Grace." in mail_text(handler.received[0])


def test_post_succeeds_with_the_smtp_server_down(smtp, settings, article, parent):
    settings.EMAIL_PORT = free_port()  # Nothing listens there.

    reply = post_reply(article, parent)

    assert XtdComment.objects.filter(pk=reply.pk, is_public=True).exists()


def test_mail_failing_for_good_is_logged_with_the_comment_id(smtp, settings, article, parent, caplog):
    settings.MAIL_MAX_ATTEMPTS = 3
    handler = FlakyHandler(refusals=99)
    smtp(handler)
    reply = post_reply(article, parent)

    with caplog.at_level(logging.WARNING, logger="worker.mail"):
        run_queued_tasks()

    assert handler.refused == 3
    failures = [record for record in caplog.records if record.name == "worker.mail" and record.levelno == logging.ERROR]
    assert [record.getMessage() for record in failures] == [
        f"Mail reply notification for comment {reply.pk} failed for good after 3 attempt(s): "
        "(451, b'4.3.0 Mail server busy, try again later')"
    ]
    assert DBTaskResult.objects.failed().count() == 1
    assert XtdComment.objects.filter(pk=reply.pk, is_public=True).exists()


def test_a_permanent_refusal_is_not_retried(smtp, article, parent, caplog):
    handler = FlakyHandler(refusals=99, refusal="550 5.1.1 No such mailbox")
    smtp(handler)
    reply = post_reply(article, parent)

    with caplog.at_level(logging.ERROR, logger="worker.mail"):
        run_queued_tasks()

    assert handler.refused == 1
    assert f"comment {reply.pk} failed for good after 1 attempt(s)" in caplog.text


def test_retries_back_off(smtp, settings, article, parent):
    settings.MAIL_RETRY_BASE_SECONDS = 60
    smtp(FlakyHandler(refusals=2))
    post_reply(article, parent)

    run_queued_tasks()
    waiting = DBTaskResult.objects.filter(status="READY").get()

    assert not DBTaskResult.objects.ready().exists()  # Not due yet.
    assert 59 <= (waiting.run_after - waiting.enqueued_at).total_seconds() <= 61
    assert waiting.args_kwargs["kwargs"]["attempt"] == 2
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=waiting.enqueued_at)
    run_queued_tasks()
    second = DBTaskResult.objects.filter(status="READY").get()
    assert 239 <= (second.run_after - second.enqueued_at).total_seconds() <= 241


def test_a_real_worker_process_delivers_the_mail_after_the_outage(smtp, settings, article, parent):
    handler = FlakyHandler(refusals=1)
    smtp(handler)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "MAIL_RETRY_BASE_SECONDS": "0.2",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-reload", "--no-periodic", "--no-startup-delay",
         "--interval", "0.1"],
        cwd=django_settings.BASE_DIR,
        env=env,
    )  # fmt: skip
    try:
        reply = post_reply(article, parent)
        deadline = time.monotonic() + 30
        while not handler.received and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.05)
    finally:
        worker.terminate()
        worker.wait(timeout=10)

    assert handler.refused == 1
    assert recipients(handler) == [["grace@example.com"]]
    assert f"#c{reply.pk}" in mail_text(handler.received[0])
