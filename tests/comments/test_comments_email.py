"""Reply notifications to the replied-to commenter only, the mute link, and optional email confirmation."""

import re
from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.utils import timezone
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import XtdComment

from tests.comment_factories import CommentFactory, post_comment
from tests.factories import ArticleFactory
from tests.forms import BrowserClient, form_data

# Mail is queued when the comment's transaction commits, and sent at once here (tasks_run_at_once).
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("comments_publish_at_once", "tasks_run_at_once"),
]


def link_in(message, path_part):
    return re.search(rf"http://127\.0\.0\.1:8000\S*{path_part}\S*", message.body).group(0)


def test_notify_box_stores_the_wish(client, article):
    post_comment(client, article, followup="on")

    assert XtdComment.objects.get().followup is True


def test_reply_notifies_only_the_author_replied_to(client, article, mailoutbox):
    parent = CommentFactory(article=article, user_email="grace@example.com", followup=True)
    CommentFactory(article=article, user_email="other-follower@example.com", followup=True)

    post_comment(client, article, replying_to=parent, comment="Replying to Grace.")

    assert [message.to for message in mailoutbox] == [["grace@example.com"]]
    assert "Replying to Grace." in mailoutbox[0].body
    assert "Phones in 2026" in mailoutbox[0].subject


def test_no_notification_without_opting_in(client, article, mailoutbox):
    parent = CommentFactory(article=article, followup=False)

    post_comment(client, article, replying_to=parent)

    assert mailoutbox == []


def test_top_level_comment_notifies_nobody(client, article, mailoutbox):
    CommentFactory(article=article, followup=True)

    post_comment(client, article)

    assert mailoutbox == []


def test_held_reply_notifies_when_an_editor_approves_it(editor_client, article, mailoutbox, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    parent = CommentFactory(article=article, user_email="grace@example.com", followup=True)
    post_comment(BrowserClient(), article, replying_to=parent, comment="Held reply.")
    assert mailoutbox == []
    held = XtdComment.objects.get(comment="Held reply.")

    page = editor_client.get("/admin/django_comments_xtd/xtdcomment/")
    data = form_data(page, "changelist-form")
    data.update(action="approve", _selected_action=[str(held.pk)])
    editor_client.post("/admin/django_comments_xtd/xtdcomment/", data)

    assert [message.to for message in mailoutbox] == [["grace@example.com"]]


def test_notification_links_are_absolute_and_lead_to_the_reply(client, article, mailoutbox):
    parent = CommentFactory(article=article, followup=True)
    post_comment(client, article, replying_to=parent)
    reply = XtdComment.objects.latest("pk")

    url = link_in(mailoutbox[0], f"#c{reply.pk}")

    assert url == f"http://127.0.0.1:8000{article.get_absolute_url()}?cpage=1#c{reply.pk}"


def test_mute_link_asks_then_stops_notifications(client, article, mailoutbox):
    parent = CommentFactory(article=article, user_email="grace@example.com", followup=True)
    post_comment(client, article, replying_to=parent, comment="First reply.")
    mute_url = link_in(mailoutbox[0], "/comments/mute/")

    confirm_page = client.get(mute_url)
    assert "Stop reply notifications?" in confirm_page.content.decode()
    parent.refresh_from_db()
    assert parent.followup is True
    done = client.post(mute_url, form_data(confirm_page, "mute-form"))

    parent.refresh_from_db()
    assert "Notifications stopped" in done.content.decode()
    assert parent.followup is False
    post_comment(client, article, replying_to=parent, comment="Second reply.")
    assert len(mailoutbox) == 1


def test_the_mute_page_never_names_an_unpublished_article(client):
    from blog.models import Article
    from comments.links import mute_token

    for status, offset in ((Article.Status.DRAFT, 0), (Article.Status.PUBLISHED, 3)):
        hidden = ArticleFactory(
            title="Embargoed merger story", status=status, published_at=timezone.now() + timedelta(days=offset)
        )
        comment = CommentFactory(article=hidden, followup=True)
        url = f"/comments/mute/{mute_token(comment)}/"

        confirm_page = client.get(url)
        done = client.post(url, form_data(confirm_page, "mute-form"))

        for page in (confirm_page, done):
            assert page.status_code == 200
            assert "Embargoed merger story" not in page.content.decode()
        comment.refresh_from_db()
        assert comment.followup is False


def test_forged_mute_link_is_404(client):
    assert client.get("/comments/mute/not-a-signed-token/").status_code == 404


def test_confirmation_email_when_the_setting_is_on(client, article, mailoutbox, monkeypatch):
    assert xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL is False  # Also sets up the lazy settings object.
    # Patch the wrapped object: pytest 9 restores a LazyObject's attribute by deleting it.
    monkeypatch.setattr(xtd_settings._wrapped, "COMMENTS_XTD_CONFIRM_EMAIL", True)

    response = post_comment(client, article, comment="Confirm me.")

    assert "Please confirm your comment" in response.content.decode()
    assert not XtdComment.objects.exists()
    confirm_url = link_in(mailoutbox[0], "/comments/confirm/")
    page = client.get(confirm_url)
    assert client.post(confirm_url, form_data(page, "confirm-form")).status_code == 302
    assert XtdComment.objects.get().comment == "Confirm me."


def test_no_confirmation_email_by_default(client, article, mailoutbox):
    post_comment(client, article)

    assert mailoutbox == []
    assert XtdComment.objects.count() == 1


def test_bad_confirmation_link_is_refused_kindly(client):
    response = client.get("/comments/confirm/garbage/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_confirmation_link_for_a_deleted_article_is_refused_kindly(client, article, mailoutbox, monkeypatch):
    assert xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL is False  # Also sets up the lazy settings object.
    monkeypatch.setattr(xtd_settings._wrapped, "COMMENTS_XTD_CONFIRM_EMAIL", True)
    post_comment(client, article)
    confirm_url = link_in(mailoutbox[0], "/comments/confirm/")
    article.delete()

    response = client.get(confirm_url)

    assert response.status_code == 400


def test_email_links_use_the_sites_domain_not_the_requests_host(article, mailoutbox, settings):
    settings.ALLOWED_HOSTS = ["*"]
    # A public domain: with the development one, config.site_url refuses pages on a public host (evil.example).
    Site.objects.update(domain="blog.example.com")
    Site.objects.clear_cache()
    parent = CommentFactory(article=article, user_email="grace@example.com", followup=True)
    client = BrowserClient(HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example")

    post_comment(client, article, replying_to=parent, comment="Reply.")

    assert "evil.example" not in mailoutbox[0].body
    assert "http://blog.example.com/comments/mute/" in mailoutbox[0].body
