"""The optional email to editors when a comment is held: off by default, sent after the comment is committed."""

import pytest
from django_comments_xtd.models import XtdComment

from comments.notifications import notify_editors_of_held_comment

from .comment_factories import CommentFactory, post_comment
from .factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]


@pytest.fixture
def article():
    return ArticleFactory(title="Phones in 2026")


@pytest.fixture
def notify_editors(settings):
    settings.COMMENTS_HELD_NOTIFY_EMAILS = ["moderators@example.com"]
    settings.COMMENTS_HOLD_FIRST_COMMENT = True  # Every comment here is a first one, so it is held.
    return settings


def test_editors_are_not_emailed_by_default(client, article, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article)

    assert XtdComment.objects.get().is_public is False
    assert mailoutbox == []


def test_held_comment_emails_the_editors_once_it_is_committed(
    client, article, mailoutbox, notify_editors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        post_comment(client, article, comment="Is the ban still in force?", name="Nadia Khan")
    assert mailoutbox == []  # Not inside the transaction that stores the comment.

    for callback in callbacks:
        callback()

    (message,) = mailoutbox
    held = XtdComment.objects.get()
    assert message.to == ["moderators@example.com"]
    assert message.subject == "A comment on “Phones in 2026” is awaiting moderation"
    assert "Nadia Khan" in message.body
    assert "Is the ban still in force?" in message.body
    assert f"/admin/django_comments_xtd/xtdcomment/?status=held&article={article.pk}" in message.body
    assert held.is_public is False


def test_published_comment_emails_nobody(
    client, article, mailoutbox, notify_editors, django_capture_on_commit_callbacks
):
    CommentFactory(article=article, user_email="ada@example.com")  # Ada has an approved comment: not held.

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, comment="Second time here.")

    assert XtdComment.objects.get(comment="Second time here.").is_public is True
    assert mailoutbox == []


def test_notification_is_one_function_that_sends_nothing_without_addresses(article, mailoutbox, settings):
    comment = CommentFactory(article=article, is_public=False)
    settings.COMMENTS_HELD_NOTIFY_EMAILS = []

    assert notify_editors_of_held_comment(comment) is False
    settings.COMMENTS_HELD_NOTIFY_EMAILS = ["a@example.com", "b@example.com"]
    assert notify_editors_of_held_comment(comment) is True
    assert mailoutbox[0].to == ["a@example.com", "b@example.com"]
