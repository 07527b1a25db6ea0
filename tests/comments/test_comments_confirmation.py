"""Email confirmation links (COMMENTS_CONFIRM_EMAIL=1): opened by a GET, confirmed by a POST, once, with moderation
and the rate limit run again."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import XtdComment

from comments.links import comment_for_confirmation_key
from comments.models import BlockedWord, UsedConfirmation
from comments.services import prune_used_confirmations
from tests.comment_factories import CommentFactory, post_comment
from tests.forms import BrowserClient, form_data

# Mail is queued when the transaction commits and sent at once here (tasks_run_at_once): real transactions.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("comments_publish_at_once", "confirm_by_email", "tasks_run_at_once"),
]


@pytest.fixture
def confirm_by_email(monkeypatch):
    assert xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL is False  # Also sets up the lazy settings object.
    monkeypatch.setattr(xtd_settings._wrapped, "COMMENTS_XTD_CONFIRM_EMAIL", True)


def confirm_link(mailoutbox, index=-1):
    return re.search(r"http://\S*/comments/confirm/\S+", mailoutbox[index].body).group(0)


def press_publish(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, form_data(page, "confirm-form"))


def test_opening_the_link_stores_nothing_as_a_mail_scanner_would(client, article, mailoutbox):
    post_comment(client, article, comment="Scanned, not confirmed.")

    page = BrowserClient().get(confirm_link(mailoutbox))

    assert "Publish your comment?" in page.content.decode()
    assert "Scanned, not confirmed." in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    assert not XtdComment.objects.exists()


def test_the_publish_button_stores_the_comment_and_shows_it(client, article, mailoutbox):
    post_comment(client, article, comment="Confirmed by its author.")

    response = press_publish(client, confirm_link(mailoutbox))

    comment = XtdComment.objects.get()
    assert comment.comment == "Confirmed by its author."
    assert response.status_code == 302
    assert response["Location"].endswith(f"#c{comment.pk}")


def test_a_link_confirms_once_even_replayed_after_the_duplicate_window(client, article, mailoutbox):
    post_comment(client, article, comment="Only once.")
    url = confirm_link(mailoutbox)
    data = form_data(client.get(url), "confirm-form")
    assert client.post(url, data).status_code == 302

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        replay = client.post(url, data)

    assert replay.status_code == 410
    assert "already been used" in replay.content.decode()
    assert XtdComment.objects.count() == 1


@pytest.mark.parametrize("editors_action", ["delete", "remove"])
def test_a_comment_editors_took_away_never_comes_back_through_its_link(client, article, mailoutbox, editors_action):
    post_comment(client, article, comment="Editors did not want this.")
    url = confirm_link(mailoutbox)
    press_publish(client, url)
    comments = XtdComment.objects.all()
    if editors_action == "delete":
        comments.delete()
    else:
        comments.update(is_removed=True)

    replay = BrowserClient().post(url, {})

    assert replay.status_code == 410
    assert list(XtdComment.objects.filter(is_removed=False)) == []


def test_a_used_link_only_shows_the_way_to_its_comment(client, article, mailoutbox):
    post_comment(client, article, comment="Seen again.")
    url = confirm_link(mailoutbox)
    press_publish(client, url)

    again = client.get(url)

    assert again.status_code == 410
    assert f"#c{XtdComment.objects.get().pk}" in again.content.decode()


def test_moderation_runs_again_on_confirmation(client, article, mailoutbox):
    post_comment(client, article, comment="Buy cheapwatches here.")
    BlockedWord.objects.create(word="cheapwatches")  # Added by an editor after the comment was posted.

    press_publish(client, confirm_link(mailoutbox))

    assert XtdComment.objects.get().is_public is False


def test_a_confirmed_address_with_an_approved_comment_is_not_held_as_a_first_comment(
    client, article, mailoutbox, settings
):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    CommentFactory(article=article, user_email="ada@example.com")  # Approved, posted from another browser.
    post_comment(client, article, comment="Proven by the link.", email="ada@example.com")

    press_publish(BrowserClient(), confirm_link(mailoutbox))  # The link opened in a mail app's own browser.

    assert XtdComment.objects.get(comment="Proven by the link.").is_public is True


def test_the_rate_limit_runs_again_on_confirmation_and_the_link_still_works_later(
    client, article, mailoutbox, settings
):
    post_comment(client, article, comment="Patience.")
    url = confirm_link(mailoutbox)
    settings.COMMENTS_RATE_LIMIT = 0

    refused = press_publish(client, url)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert not XtdComment.objects.exists()
    settings.COMMENTS_RATE_LIMIT = 5
    assert press_publish(client, url).status_code == 302
    assert XtdComment.objects.count() == 1


def test_each_link_is_bound_to_the_comment_it_was_issued_for(client, article, mailoutbox):
    post_comment(client, article, email="one@example.com", comment="First comment.")
    post_comment(client, article, email="two@example.com", comment="Second comment.")
    first, second = confirm_link(mailoutbox, 0), confirm_link(mailoutbox, 1)

    press_publish(client, first)
    assert client.post(first, {}).status_code == 410
    press_publish(client, second)

    assert sorted(XtdComment.objects.values_list("comment", flat=True)) == ["First comment.", "Second comment."]
    assert UsedConfirmation.objects.count() == 2


def test_a_link_for_an_article_unpublished_since_is_refused(client, article, mailoutbox):
    post_comment(client, article)
    url = confirm_link(mailoutbox)
    article.status = article.Status.DRAFT
    article.save()

    response = client.get(url)

    assert response.status_code == 400
    assert article.title not in response.content.decode()


def test_used_links_are_forgotten_once_they_have_expired_anyway(client, article, mailoutbox):
    post_comment(client, article)
    url = confirm_link(mailoutbox)
    press_publish(client, url)

    assert prune_used_confirmations(now=timezone.now() + datetime.timedelta(days=7)) == 0
    assert prune_used_confirmations(now=timezone.now() + datetime.timedelta(days=9)) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=9)):
        key = url.rstrip("/").rsplit("/", 1)[-1]
        assert comment_for_confirmation_key(key) is None
