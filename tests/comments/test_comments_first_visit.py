"""A first visit, without JavaScript: one press of "Post Comment" posts, holds or refuses the comment.

The public page carries no CSRF token; an anonymous post is checked by where the browser says it comes
from (Sec-Fetch-Site, Origin), as OWASP's CSRF cheat sheet describes. Signed-in users keep Django's token.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from tests.factories import UserFactory
from tests.forms import BrowserClient, form_data

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("comments_publish_at_once"),
]

# What a browser sends with a form posted from the site's own page.
SAME_ORIGIN = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}


@pytest.fixture
def reader():
    """A browser that checks CSRF as a real one is checked, and has no cookies yet."""
    return BrowserClient(enforce_csrf_checks=True)


def page_form(reader, article, **changes):
    """The comment form filled in, as a browser without JavaScript sends it."""
    data = form_data(reader.get(article.get_absolute_url()), "comment-form")
    data.update({"comment": "Posted on my first visit.", "name": "First Visitor", "email": "first@example.com"})
    data.update(changes)
    return data


def post(reader, data, headers=SAME_ORIGIN):
    return reader.post(reverse("comment-post"), data, headers=headers)


def test_first_visit_page_has_no_csrf_token_and_sets_no_cookie(reader, site_content):
    response = reader.get(site_content.get_absolute_url())

    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_published_comment_posts_in_one_press_and_lands_on_its_anchor(reader, site_content):
    response = post(reader, page_form(reader, site_content))

    comment = XtdComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{site_content.get_absolute_url()}?cpage=1#c{comment.pk}"
    assert "Posted on my first visit." in reader.get(response["Location"]).content.decode()


def test_held_comment_posts_in_one_press_and_shows_its_author_their_text(reader, site_content, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True

    response = post(reader, page_form(reader, site_content))
    private = reader.get(response["Location"])

    comment = XtdComment.objects.get()
    assert not comment.is_public
    assert re.fullmatch(
        rf"/articles/[\w-]+/\?unapproved={comment.pk}&moderation-hash=\w+#c{comment.pk}", response["Location"]
    )
    assert "Your comment is awaiting moderation." in private.content.decode()
    assert "Posted on my first visit." in private.content.decode()
    assert set(private["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert "Posted on my first visit." not in BrowserClient().get(site_content.get_absolute_url()).content.decode()


def test_refused_comment_comes_back_in_one_press_with_the_problem_named_and_the_text_kept(reader, site_content):
    response = post(reader, page_form(reader, site_content, email="not an address"))

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert form_data(response, "comment-form")["comment"] == "Posted on my first visit."
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not XtdComment.objects.exists()


def test_form_sent_again_after_a_refusal_posts(reader, site_content):
    refused = post(reader, page_form(reader, site_content, email="not an address"))
    data = {**form_data(refused, "comment-form"), "email": "first@example.com"}

    assert post(reader, data).status_code == 302
    assert XtdComment.objects.get().comment == "Posted on my first visit."


def test_form_kept_open_for_over_a_week_comes_back_with_its_text_then_posts(reader, site_content):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=8), tick=False):
        data = page_form(reader, site_content)

    shown_back = post(reader, data)
    response = post(reader, form_data(shown_back, "comment-form"))

    assert shown_back.status_code == 400
    assert "Your comment has not been posted yet" in shown_back.content.decode()
    assert form_data(shown_back, "comment-form")["comment"] == "Posted on my first visit."
    assert response.status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site", "origin": "http://testserver"},
        {"sec-fetch-site": "cross-site", "origin": "http://testserver"},
    ],
    ids=["foreign-origin", "null-origin", "cross-site", "same-site", "cross-site-with-own-origin"],
)
def test_comment_posted_from_another_site_is_refused_with_a_reason(reader, site_content, headers):
    data = page_form(reader, site_content, comment="Planted by another site.")

    response = post(reader, data, headers=headers)

    assert response.status_code == 403
    assert "sent from another website" in response.content.decode()
    assert "Planted by another site." not in response.content.decode()
    assert not XtdComment.objects.exists()


def test_comment_from_an_old_browser_without_origin_headers_is_accepted(reader, site_content):
    assert post(reader, page_form(reader, site_content), headers={}).status_code == 302


def test_comment_from_a_trusted_origin_is_accepted(reader, site_content, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://blog.example.com"]

    response = post(reader, page_form(reader, site_content), headers={"origin": "https://blog.example.com"})

    assert response.status_code == 302


def test_signed_in_reader_posts_with_djangos_token(reader, site_content):
    reader.force_login(UserFactory())
    data = page_form(reader, site_content)

    assert len(data["csrfmiddlewaretoken"]) == 64
    assert post(reader, data).status_code == 302


def test_signed_in_reader_without_a_token_is_refused_by_djangos_csrf_check(reader, site_content):
    reader.force_login(UserFactory())
    data = page_form(reader, site_content)
    del data["csrfmiddlewaretoken"]

    response = post(reader, data)

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_other_csrf_failures_get_djangos_403(reader, site_content):
    response = reader.post(reverse("admin:login"), {"username": "editor", "password": "secret"})

    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()
