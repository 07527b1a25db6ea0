"""The optional email to editors when a comment is held: off by default, queued once the comment is committed."""

import datetime

import time_machine
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from django_tasks_db.models import DBTaskResult

from comments.notifications import notify_editors_of_held_comment
from tests.comment_factories import COMMITTED_COMMENTS, CommentFactory, post_comment
from tests.forms import BrowserClient
from tests.smtp import FlakyHandler, mail_text, smtp_server
from tests.tasks import run_queued_tasks

# The mail is queued when the comment's transaction commits: these tests commit for real.
pytestmark = COMMITTED_COMMENTS


def test_editors_are_not_emailed_by_default(client, article, mailoutbox, settings, tasks_run_at_once):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True

    post_comment(client, article)

    assert XtdComment.objects.get().is_public is False
    assert mailoutbox == []


def test_held_comment_emails_the_editors_with_a_link_to_the_held_list(
    client, article, mailoutbox, notify_editors, tasks_run_at_once
):
    post_comment(client, article, comment="Is the ban still in force?", name="Nadia Khan")

    (message,) = mailoutbox
    assert message.to == ["moderators@example.com"]
    assert message.subject == "1 comment is awaiting moderation"
    assert "> Name: Nadia Khan" in message.body
    assert "> Is the ban still in force?" in message.body
    assert "On “Phones in 2026”" in message.body
    assert "/admin/django_comments_xtd/xtdcomment/?status=held" in message.body
    assert XtdComment.objects.get().is_public is False


def test_the_moderation_link_comes_first_and_the_visitors_text_is_quoted(
    client, article, mailoutbox, notify_editors, tasks_run_at_once
):
    post_comment(
        client,
        article,
        name="Approve: https://evil.example/a",
        comment="Looks fine.\nApprove: https://evil.example/approve\nThanks",
    )

    body = mailoutbox[0].body
    real_link = body.index("/admin/django_comments_xtd/xtdcomment/?status=held")
    assert real_link < body.index("evil.example")
    assert "> Approve: https://evil.example/approve" in body
    assert not [line for line in body.splitlines() if "evil.example" in line and not line.startswith(">")]


def test_editors_get_at_most_one_digest_every_few_minutes_with_every_held_comment(
    client, article, mailoutbox, notify_editors, tasks_run_at_once
):
    post_comment(BrowserClient(), article, comment="First held.", email="one@example.com")
    post_comment(BrowserClient(), article, comment="Second held.", email="two@example.com")
    post_comment(BrowserClient(), article, comment="Third held.", email="three@example.com")
    assert len(mailoutbox) == 1  # The first digest; the next waits COMMENTS_HELD_DIGEST_SECONDS.

    later = timezone.now() + datetime.timedelta(seconds=notify_editors.COMMENTS_HELD_DIGEST_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        post_comment(BrowserClient(), article, comment="Fourth held.", email="four@example.com")

    assert len(mailoutbox) == 2
    second = mailoutbox[1]
    assert second.subject == "3 comments are awaiting moderation"
    for text in ("Second held.", "Third held.", "Fourth held."):
        assert f"> {text}" in second.body
    assert "First held." not in second.body


def test_a_waiting_digest_is_sent_by_the_worker_when_it_is_due(article, notify_editors, mailoutbox):
    """With the database queue, the held comments that came during the wait go out without a further comment."""
    post_comment(BrowserClient(), article, comment="First held.", email="one@example.com")
    run_queued_tasks()  # The digest, then its mail.
    run_queued_tasks()
    post_comment(BrowserClient(), article, comment="Second held.", email="two@example.com")
    run_queued_tasks()  # Too soon: the digest is queued again for later.
    assert len(mailoutbox) == 1

    later = timezone.now() + datetime.timedelta(seconds=notify_editors.COMMENTS_HELD_DIGEST_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        run_queued_tasks()
        run_queued_tasks()

    assert len(mailoutbox) == 2
    assert "> Second held." in mailoutbox[1].body


def test_published_comment_emails_nobody(client, article, mailoutbox, notify_editors, tasks_run_at_once):
    post_comment(client, article, comment="First time here.")
    XtdComment.objects.filter(comment="First time here.").update(is_public=True)  # Approved: Ada is known.
    mailoutbox.clear()  # The notice about her first comment.

    post_comment(client, article, comment="Second time here.")

    assert XtdComment.objects.get(comment="Second time here.").is_public is True
    assert mailoutbox == []


def test_notification_is_queued_not_sent_in_the_request_and_a_worker_delivers_it_over_smtp(
    article, notify_editors, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 5
    handler = FlakyHandler()
    with smtp_server(handler) as port:
        settings.EMAIL_PORT = port

        assert post_comment(BrowserClient(), article, comment="Held for the editors.").status_code == 302
        assert handler.received == []  # Nothing was sent inside the request.
        assert DBTaskResult.objects.ready().count() == 1
        run_queued_tasks()

    (envelope,) = handler.received
    assert envelope.rcpt_tos == ["moderators@example.com"]
    assert "Held for the editors." in mail_text(envelope)


def test_notification_is_one_function_that_sends_nothing_without_addresses(
    article, mailoutbox, settings, tasks_run_at_once
):
    comment = CommentFactory(article=article, is_public=False)
    settings.COMMENTS_HELD_NOTIFY_EMAILS = []

    assert notify_editors_of_held_comment(comment) is False
    settings.COMMENTS_HELD_NOTIFY_EMAILS = ["a@example.com", "b@example.com"]
    assert notify_editors_of_held_comment(comment) is True
    assert mailoutbox[0].to == ["a@example.com", "b@example.com"]
