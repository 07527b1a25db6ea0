"""Leaving comments and replies through the real form and HTTP flow."""

import datetime
import json
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from tests.comment_factories import CommentFactory, comment_form_data, post_comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]


def test_top_level_comment_is_stored_and_redirects_to_its_anchor(client, article):
    response = post_comment(client, article, comment="Great article!")

    comment = XtdComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=1#c{comment.pk}"
    assert (comment.user_name, comment.user_email, comment.comment, comment.level) == (
        "Ada Reader",
        "ada@example.com",
        "Great article!",
        0,
    )
    assert comment.ip_address == "127.0.0.1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The page cache is invalidated on commit.
def test_new_comment_appears_in_the_thread_with_the_count(client, article):
    post_comment(client, article, comment="Great article!")

    page = client.get(article.get_absolute_url()).content.decode()
    assert "1 Comment<" in page
    assert "Great article!" in page


def test_reply_link_shows_reply_to_name_form_without_javascript(client, article):
    parent = CommentFactory(article=article, user_name="Grace")

    page = client.get(reverse("comment-reply", args=[parent.pk])).content.decode()

    assert "Reply to Grace" in page
    assert f'name="reply_to" value="{parent.pk}"' in page


def test_reply_page_shows_the_comment_as_the_thread_does_with_its_date(client, article):
    parent = CommentFactory(article=article, user_name="Grace", comment="Which models?")

    page = client.get(reverse("comment-reply", args=[parent.pk])).content.decode()

    assert f'<li class="comment depth-0" id="c{parent.pk}">' in page
    assert re.search(r'<p class="comment-date"><a href="[^"]*\?cpage=1#c\d+"><time datetime="[^"]+">', page)
    assert page.index("Which models?") < page.index('<div class="reply-page-form">') < page.index('id="comment-form"')
    assert "comment-reply-link" not in page  # The form is right there.


def test_reply_is_nested_under_its_parent(client, article):
    parent = CommentFactory(article=article)

    response = post_comment(client, article, replying_to=parent, comment="I agree.")

    reply = XtdComment.objects.get(comment="I agree.")
    assert response.status_code == 302
    assert (reply.parent_id, reply.thread_id, reply.level) == (parent.pk, parent.pk, 1)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index(f'id="c{parent.pk}"') < page.index('<ol class="children">') < page.index(f'id="c{reply.pk}"')


def test_reply_to_a_reply_is_the_third_level(client, article):
    reply = CommentFactory(article=article, parent=CommentFactory(article=article))

    post_comment(client, article, replying_to=reply, comment="Third level.")

    assert XtdComment.objects.get(comment="Third level.").level == 2


def test_deepest_comment_has_no_reply_link(client, article):
    deepest = CommentFactory(
        article=article, parent=CommentFactory(article=article, parent=CommentFactory(article=article))
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert deepest.level == 2
    assert reverse("comment-reply", args=[deepest.pk]) not in page


def test_reply_beyond_the_depth_limit_is_refused_with_the_text_kept(client, article):
    """A hand-made reply_to past the deepest level is a form error, not xtd's 500."""
    deepest = CommentFactory(
        article=article, parent=CommentFactory(article=article, parent=CommentFactory(article=article))
    )
    data = comment_form_data(client, article, comment="Too deep.")
    data["reply_to"] = str(deepest.pk)

    response = client.post("/comments/post/", data)

    assert response.status_code == 200
    assert "cannot take replies" in response.content.decode()
    assert "Too deep." in response.content.decode()
    assert not XtdComment.objects.filter(comment="Too deep.").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The page cache is invalidated on commit.
def test_html_in_a_comment_is_shown_as_text(client, article):
    post_comment(client, article, name="<b>Bold</b>", comment='<script>alert("x")</script>\nSecond line')

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The page cache is invalidated on commit.
def test_website_links_the_name_with_nofollow_ugc(client, article):
    post_comment(client, article, url="https://ada.example.com/")

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<a href="https://ada.example.com/" rel="external nofollow ugc">Ada Reader</a>' in page


def test_double_submit_creates_one_comment(client, article):
    data = comment_form_data(client, article, comment="Posted twice by a double click.")

    first = client.post("/comments/post/", data)
    second = client.post("/comments/post/", data)

    assert XtdComment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_signed_in_reader_gets_name_and_email_prefilled_and_the_comment_linked(client, article):
    user = UserFactory(first_name="Lin", last_name="Wu")
    client.force_login(user)

    data = comment_form_data(client, article)
    client.post("/comments/post/", data)

    comment = XtdComment.objects.get()
    assert (comment.user, comment.user_name, comment.user_email) == (user, "Lin Wu", user.email)


def test_remembered_details_are_kept_in_a_cookie_for_the_readers_browser_only(client, article):
    """comments.js fills the form from it; the page itself stays the same for every reader."""
    response = post_comment(client, article, name="Ada Reader", url="https://ada.example.com/", remember="on")

    cookie = response.cookies["comment_author"]
    fresh = client.get(article.get_absolute_url()).content.decode()
    assert json.loads(unquote(cookie.value)) == {
        "name": "Ada Reader",
        "email": "ada@example.com",
        "url": "https://ada.example.com/",
    }
    assert not cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "ada@example.com" not in fresh


def test_nothing_is_remembered_without_the_box_ticked(client, article):
    response = post_comment(client, article)

    assert "comment_author" not in response.cookies or not response.cookies["comment_author"].value
    assert 'value="ada@example.com"' not in client.get(article.get_absolute_url()).content.decode()


def test_unticking_the_box_forgets_remembered_details(client, article):
    post_comment(client, article, remember="on", comment="First.")

    post_comment(client, article, remember=None, comment="Second.")

    assert 'value="ada@example.com"' not in client.get(article.get_absolute_url()).content.decode()


def test_comments_switched_off_show_the_closed_note_instead_of_the_form(client):
    article = ArticleFactory(allow_comments=False)

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Comments are closed." in page
    assert 'id="comment-form"' not in page


def test_comments_close_after_the_articles_number_of_days(client):
    article = ArticleFactory(close_comments_after_days=7, published_at=timezone.now() - datetime.timedelta(days=8))

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Comments are closed." in page


def test_posting_to_a_closed_article_is_refused_kindly(client):
    article = ArticleFactory(close_comments_after_days=7, published_at=timezone.now() - datetime.timedelta(days=6))
    data = comment_form_data(client, article)
    article.allow_comments = False
    article.save()

    response = client.post("/comments/post/", data)

    assert response.status_code == 403
    assert "Comments are closed" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_comment_sent_too_quickly_is_returned_with_the_text_kept(client, article, settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 60

    response = post_comment(client, article, comment="Typed by a bot.")

    assert response.status_code == 200
    assert "That was very quick" in response.content.decode()
    assert "Typed by a bot." in response.content.decode()
    assert not XtdComment.objects.exists()


def test_filled_honeypot_is_refused(client, article):
    response = post_comment(client, article, honeypot="spam")

    assert response.status_code == 400
    assert not XtdComment.objects.exists()


def test_tampered_security_hash_is_refused(client, article):
    response = post_comment(client, article, security_hash="0" * 40, comment="Kept for another try.")

    assert response.status_code == 400
    assert "has not been posted yet" in response.content.decode()
    assert "Kept for another try." in response.content.decode()
    assert not XtdComment.objects.exists()


def test_reply_address_to_the_deepest_comment_leads_to_the_comment(client, article):
    deepest = CommentFactory(
        article=article, parent=CommentFactory(article=article, parent=CommentFactory(article=article))
    )

    response = client.get(reverse("comment-reply", args=[deepest.pk]))

    assert response["Location"] == f"{article.get_absolute_url()}?cpage=1#c{deepest.pk}"


def test_xtd_comment_api_is_not_exposed(client, article):
    """xtd's API would take comments past our validation and flood control."""
    assert client.post("/comments/api/comment/", {"comment": "x"}).status_code == 404


def test_comment_pages_have_no_inline_script_or_event_handler(client, article):
    """A strict Content-Security-Policy (no 'unsafe-inline') must not break the comment section."""
    CommentFactory(article=article, parent=CommentFactory(article=article))
    pages = [
        client.get(article.get_absolute_url()).content.decode(),
        post_comment(client, article, email="not-an-email").content.decode(),
    ]

    for page in pages:
        # Scripts come from files; JSON-LD (a data block, never executed) is the only inline <script>.
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))[^>]*>", page)
        assert not re.search(r"\son[a-z]+\s*=", page)
        assert re.search(r'<script src="/static/js/comments\.(\w+\.)?js" defer>', page)
