"""Every bad input is caught before the database: named next to its field, with the reader's text kept."""

import pytest
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from tests.comment_factories import comment_form_data
from tests.forms import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]

KEPT_TEXT = "My carefully written comment that must not be lost."


BAD_INPUTS = {
    "empty comment": ({"comment": ""}, "comment", "Please write your comment."),
    "blank comment": ({"comment": "   \r\n  "}, "comment", "Please write your comment."),
    "comment over 3,000 characters": ({"comment": "x" * 3001}, "comment", "at most 3000 characters"),
    "NUL byte in comment": ({"comment": "null\x00byte"}, "comment", "Null characters are not allowed."),
    "empty name": ({"name": ""}, "name", "Please enter your name."),
    "zero-width-only name": ({"name": "\u200b\u200c\u200d\ufeff"}, "name", "at least one visible character"),
    "name over 50 characters": ({"name": "N" * 51}, "name", "at most 50 characters"),
    "NUL byte in name": ({"name": "Ada\x00"}, "name", "Null characters are not allowed."),
    "empty email": ({"email": ""}, "email", "Please enter your email address."),
    "invalid email": ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    "email over 254 characters": (
        {"email": "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"},
        "email",
        "at most 254 characters",
    ),
    "website over 200 characters": ({"url": "https://example.com/" + "p" * 190}, "url", "at most 200 characters"),
    "javascript: website": ({"url": "javascript:alert(1)"}, "url", "starting with http:// or https://"),
    "ftp website": ({"url": "ftp://example.com/file"}, "url", "starting with http:// or https://"),
}


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_named_next_to_its_field_and_the_text_is_kept(client, article, changes, field, message):
    data = comment_form_data(client, article, comment=KEPT_TEXT)
    data.update(changes)

    response = client.post("/comments/post/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert not XtdComment.objects.exists()
    field_html = page[page.index(f'for="id_{field}"') :]
    field_html = field_html[: field_html.index("</p>")]
    assert message in field_html
    if field != "comment":
        assert KEPT_TEXT in page


def test_every_problem_is_named_at_once(client, article):
    data = comment_form_data(client, article, comment=KEPT_TEXT)
    data.update(name="", email="nope", url="javascript:x")

    page = client.post("/comments/post/", data).content.decode()

    assert page.count('class="field-error"') == 3
    assert KEPT_TEXT in page


def test_corrected_form_is_accepted(client, article):
    bad = comment_form_data(client, article, comment=KEPT_TEXT, email="nope")
    page = client.post("/comments/post/", bad)
    fixed = form_data(page, "comment-form")
    fixed["email"] = "ada@example.com"

    response = client.post("/comments/post/", fixed)

    assert response.status_code == 302
    assert XtdComment.objects.get().comment == KEPT_TEXT


HOSTILE = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE django_comments; --",
    "Robert'); DELETE FROM auth_user WHERE ('1'='1",
    "\u202eevil\u202c",
]


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The page cache is invalidated on commit.
def test_hostile_text_is_stored_and_shown_escaped(client, article, payload):
    data = comment_form_data(client, article, comment=payload, name=payload[:50])

    response = client.post("/comments/post/", data)

    assert response.status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert XtdComment.objects.get().comment == payload


def test_malformed_form_values_answer_400_not_500(client, article):
    data = comment_form_data(client, article)
    data["object_pk"] = "not-a-number"

    response = client.post("/comments/post/", data)

    assert response.status_code == 400


def test_missing_fields_answer_400_not_500(client):
    response = client.post("/comments/post/", {"comment": "hello"})

    assert response.status_code == 400


def test_invalid_utf8_body_is_handled(client, article):
    data = comment_form_data(client, article)
    body = "&".join(f"{key}={value}" for key, value in data.items() if key != "comment") + "&comment=%ff%fe%00"

    response = client.post("/comments/post/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code in {200, 400}
    assert not XtdComment.objects.exists()


def test_a_comment_many_times_too_long_is_a_form_error(client, article):
    """Up to COMMENT_MAX_BODY_BYTES; a larger body is answered 413 unread (tests/config/test_body_limits.py)."""
    data = comment_form_data(client, article, comment="x" * 100_000)

    response = client.post("/comments/post/", data)

    assert response.status_code == 200
    assert "at most 3000 characters" in response.content.decode()


@pytest.mark.parametrize("field", ["object_pk", "reply_to"])
def test_out_of_range_ids_do_not_answer_500(client, article, field):
    data = comment_form_data(client, article)
    data[field] = "9" * 30

    response = client.post("/comments/post/", data)

    assert response.status_code in {200, 400}
    assert not XtdComment.objects.exists()


def test_out_of_range_numbers_in_the_address_are_not_found(client, article):
    assert client.get(f"{article.get_absolute_url()}?cpage={'9' * 30}").status_code == 404
    assert client.get(reverse("comment-reply", args=[int("9" * 18)])).status_code == 404


def test_reply_to_in_the_article_address_changes_nothing(client, article):
    """Replies have their own address; an old ?reply_to= link shows the article as everyone sees it."""
    page = client.get(f"{article.get_absolute_url()}?reply_to={'9' * 30}")

    assert page.status_code == 200
    assert page.content == client.get(article.get_absolute_url()).content
