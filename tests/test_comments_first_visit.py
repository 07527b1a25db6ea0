"""A first visit's comment form carries no CSRF token: comments.js fetches one, and without JavaScript
the site shows the refused comment again, text kept, with a token, so one more press posts it."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from .forms import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]

TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


SAME_SITE = {"origin": "http://testserver"}  # Browsers send Origin with every form post.


@pytest.fixture
def reader():
    """A browser that checks CSRF as a real one is checked, and has no cookies yet."""
    return Client(enforce_csrf_checks=True)


def page_form(reader, article):
    """The comment form filled in, as a browser without JavaScript sends it."""
    data = form_data(reader.get(article.get_absolute_url()), "comment-form", javascript=False)
    data.update(comment="Posted on my first visit.", name="First Visitor", email="first@example.com")
    return data


def test_first_visit_form_has_no_csrf_token_and_the_page_sets_no_cookie(reader, site_content):
    response = reader.get(site_content.get_absolute_url())

    assert TOKEN_FIELD.search(response.content.decode()).group(1) == ""
    assert "csrftoken" not in response.cookies


def test_reader_with_a_csrf_cookie_gets_a_token_in_the_form(reader, site_content):
    reader.get(reverse("comment-form-token"))

    response = reader.get(site_content.get_absolute_url())

    assert len(TOKEN_FIELD.search(response.content.decode()).group(1)) == 64


def test_form_token_sets_the_csrf_cookie_and_is_never_cached(reader):
    response = reader.get(reverse("comment-form-token"))

    assert len(response.json()["csrfmiddlewaretoken"]) == 64
    assert response.cookies["csrftoken"].value
    assert "no-store" in response.headers["Cache-Control"]


def test_form_token_accepts_only_get(reader):
    assert reader.post(reverse("comment-form-token")).status_code == 403  # CSRF comes first: no cookie yet.
    assert Client().post(reverse("comment-form-token")).status_code == 405


def test_first_visit_form_with_a_fetched_token_posts_the_comment(reader, site_content):
    data = page_form(reader, site_content)
    data["csrfmiddlewaretoken"] = reader.get(reverse("comment-form-token")).json()["csrfmiddlewaretoken"]

    response = reader.post(reverse("comment-post"), data)

    assert response.status_code == 302
    assert XtdComment.objects.get().comment == "Posted on my first visit."


def test_comment_sent_without_a_token_comes_back_with_its_text_and_the_problem_named(reader, site_content):
    response = reader.post(reverse("comment-post"), page_form(reader, site_content), headers=SAME_SITE)

    page = response.content.decode()
    assert response.status_code == 403
    assert "Your comment has not been posted yet" in page
    assert form_data(response, "comment-form")["comment"] == "Posted on my first visit."
    assert form_data(response, "comment-form")["email"] == "first@example.com"
    assert len(TOKEN_FIELD.search(page).group(1)) == 64
    assert response.cookies["csrftoken"].value
    assert not XtdComment.objects.exists()


def test_pressing_post_again_on_the_form_shown_back_posts_the_comment(reader, site_content):
    shown_back = reader.post(reverse("comment-post"), page_form(reader, site_content), headers=SAME_SITE)

    response = reader.post(reverse("comment-post"), form_data(shown_back, "comment-form"), headers=SAME_SITE)

    assert response.status_code == 302
    assert XtdComment.objects.get().comment == "Posted on my first visit."


def test_form_shown_back_also_names_what_must_be_fixed(reader, site_content):
    data = {**page_form(reader, site_content), "email": "not an address"}

    response = reader.post(reverse("comment-post"), data, headers=SAME_SITE)

    assert "Your comment has not been posted yet" in response.content.decode()
    assert "Enter a valid email address." in response.content.decode()


def test_expired_form_sent_without_a_token_comes_back_with_a_new_signed_timestamp(reader, site_content):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(hours=3), tick=False):
        data = page_form(reader, site_content)
    shown_back = reader.post(reverse("comment-post"), data, headers=SAME_SITE)

    response = reader.post(reverse("comment-post"), form_data(shown_back, "comment-form"), headers=SAME_SITE)

    assert int(form_data(shown_back, "comment-form")["timestamp"]) > int(data["timestamp"])
    assert response.status_code == 302


def test_other_csrf_failures_get_djangos_403(reader, site_content):
    response = reader.post(reverse("admin:login"), {"username": "editor", "password": "secret"})

    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()
    assert "comment-form" not in response.content.decode()


def test_comment_for_an_unknown_article_without_a_token_gets_djangos_403(reader, site_content):
    data = {**page_form(reader, site_content), "object_pk": "999999"}

    response = reader.post(reverse("comment-post"), data, headers=SAME_SITE)

    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()


def test_comment_posted_from_another_site_is_not_shown_back(reader, site_content):
    """A forged post must not come back to the victim as our form, filled in and ready to send."""
    data = {**page_form(reader, site_content), "comment": "Planted by another site."}

    response = reader.post(reverse("comment-post"), data, headers={"origin": "https://evil.example"})

    assert response.status_code == 403
    assert "Planted by another site." not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_comment_posted_without_an_origin_is_not_shown_back(reader, site_content):
    """Browsers send Origin with form posts; without one the post could come from anywhere."""
    response = reader.post(reverse("comment-post"), page_form(reader, site_content))

    assert response.status_code == 403
    assert "Posted on my first visit." not in response.content.decode()


def test_comment_with_a_stale_token_comes_back_with_a_fresh_one(reader, site_content):
    """The reader's CSRF cookie changed since the page was served (another tab, a sign-in)."""
    data = form_data(reader.get(site_content.get_absolute_url()), "comment-form")  # Fetches a token.
    data.update(comment="Written before my cookie changed.", name="Ann", email="ann@example.com")
    reader.get(reverse("comment-form-token"))
    reader.cookies["csrftoken"] = "x" * 32

    response = reader.post(reverse("comment-post"), data, headers=SAME_SITE)

    assert response.status_code == 403
    assert form_data(response, "comment-form")["comment"] == "Written before my cookie changed."
