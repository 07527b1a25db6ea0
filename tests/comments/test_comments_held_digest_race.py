"""The held-comment digest under concurrency (comments.notifications.send_held_digest): two workers running it at
once send one mail, and a held comment is listed in exactly one digest, even when its transaction commits while a
digest runs or it was submitted (then confirmed by email) before the last digest went out.

Real transactions in threads, each on its own database connection."""

import datetime
import threading

from django.db import connection, transaction
from django.utils import timezone

from comments.notifications import send_held_digest
from tests.comment_factories import COMMITTED_COMMENTS, CommentFactory, post_comment
from tests.forms import BrowserClient
from tests.tasks import run_queued_tasks

pytestmark = COMMITTED_COMMENTS


def in_thread(function, *args):
    """Run `function` on another thread, with its own database connection (closed when it ends)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def held(article, text, **fields):
    return CommentFactory(article=article, is_public=False, comment=text, **fields)


def digests(mailoutbox):
    """Each digest's quoted comment texts, once every queued mail has gone out."""
    run_queued_tasks()
    return [[line[2:] for line in message.body.splitlines() if line.startswith("> Held ")] for message in mailoutbox]


def test_a_held_comment_committed_while_a_digest_runs_is_in_the_next_digest(article, notify_editors, mailoutbox):
    notify_editors.COMMENTS_HELD_DIGEST_SECONDS = 0  # The next digest is due at once.
    stored, commit = threading.Event(), threading.Event()

    def comment_that_commits_late():
        with transaction.atomic():
            held(article, "Held late.")  # Submitted now, visible to others only once committed.
            stored.set()
            commit.wait(10)

    thread, _outcome = in_thread(comment_that_commits_late)
    assert stored.wait(10)
    held(article, "Held first.")
    assert send_held_digest.call() == "sent"  # Sees only the committed comment.
    commit.set()
    thread.join(10)

    assert send_held_digest.call() == "sent"
    assert digests(mailoutbox) == [["Held first."], ["Held late."]]


def test_a_comment_submitted_before_the_last_digest_and_stored_after_it_is_in_the_next_digest(
    article, notify_editors, mailoutbox
):
    """An email-confirmed comment keeps the time it was submitted, which may be before the last digest."""
    notify_editors.COMMENTS_HELD_DIGEST_SECONDS = 0
    submitted = timezone.now() - datetime.timedelta(hours=1)
    held(article, "Held first.")
    send_held_digest.call()

    held(article, "Held after confirming.", submit_date=submitted)
    send_held_digest.call()

    assert digests(mailoutbox) == [["Held first."], ["Held after confirming."]]


def test_two_workers_running_the_digest_at_once_send_one_digest(article, notify_editors, mailoutbox):
    held(article, "Held one.")
    held(article, "Held two.")
    both_ready = threading.Barrier(2)

    def worker():
        both_ready.wait(10)
        return send_held_digest.call()

    runs = [in_thread(worker) for _ in range(2)]
    for thread, _outcome in runs:
        thread.join(10)

    assert sorted(outcome["result"] for _thread, outcome in runs) in (["nothing held", "sent"], ["sent", "waiting"])
    assert digests(mailoutbox) == [["Held one.", "Held two."]]


def test_comments_held_at_once_are_each_in_exactly_one_digest(article, notify_editors, mailoutbox):
    """Readers post at the same moment; each post queues the digest, and the worker runs what is queued."""
    notify_editors.COMMENTS_HELD_DIGEST_SECONDS = 0
    both_ready = threading.Barrier(3)

    def reader(number):
        both_ready.wait(10)
        return post_comment(BrowserClient(), article, comment=f"Held {number}.", email=f"reader{number}@example.com")

    posts = [in_thread(reader, number) for number in range(3)]
    for thread, _outcome in posts:
        thread.join(20)
    assert [outcome["result"].status_code for _thread, outcome in posts] == [302, 302, 302]
    run_queued_tasks()  # The digests (the mails they queue go out in `digests`).

    listed = [text for digest in digests(mailoutbox) for text in digest]
    assert sorted(listed) == ["Held 0.", "Held 1.", "Held 2."]


def test_comments_the_digests_before_the_per_comment_record_covered_are_not_listed_again(
    article, notify_editors, mailoutbox
):
    """The migration comments 0004 marks the held comments submitted up to the last digest as listed."""
    from importlib import import_module

    from django.apps import apps

    from comments.notifications import DIGEST_MARKER
    from worker.models import JobRun

    notify_editors.COMMENTS_HELD_DIGEST_SECONDS = 0
    held(article, "Held before.", submit_date=timezone.now() - datetime.timedelta(minutes=10))
    JobRun.objects.create(name=DIGEST_MARKER, last_run_at=timezone.now() - datetime.timedelta(minutes=5))
    held(article, "Held since.")

    import_module("comments.migrations.0004_digested_comments").mark_comments_already_digested(apps, None)
    send_held_digest.call()

    assert digests(mailoutbox) == [["Held since."]]
