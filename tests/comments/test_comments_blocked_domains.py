"""Blocked domains (django-comments-xtd's list): a comment from a listed email domain or website is held."""

import pytest
from django.urls import reverse
from django_comments_xtd.models import BlackListedDomain, XtdComment

from tests.comment_factories import CommentFactory, post_comment
from tests.forms import submit_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]


@pytest.mark.parametrize(
    ("email", "website"),
    [
        ("seller@spam.example", ""),
        ("seller@mail.spam.example", ""),  # A subdomain of a listed domain.
        ("seller@SPAM.example", ""),
        ("ada@example.com", "https://www.spam.example/cheap-phones"),
    ],
)
def test_comment_from_a_blocked_domain_is_held(client, article, email, website):
    BlackListedDomain.objects.create(domain="spam.example")

    post_comment(client, article, email=email, url=website)

    assert XtdComment.objects.get().is_public is False


@pytest.mark.parametrize("email", ["ada@example.com", "ada@notspam.example", "ada@spam.example.org"])
def test_comment_from_another_domain_is_published(client, article, email):
    BlackListedDomain.objects.create(domain="spam.example")

    post_comment(client, article, email=email)

    assert XtdComment.objects.get().is_public is True


def test_blocked_domain_holds_even_a_reader_with_approved_comments(client, article):
    CommentFactory(article=article, user_email="ada@spam.example")
    BlackListedDomain.objects.create(domain="spam.example")

    post_comment(client, article, email="ada@spam.example", comment="Again.")

    assert XtdComment.objects.get(comment="Again.").is_public is False


@pytest.mark.parametrize("typed", ["Spam.Example", "@spam.example", "https://spam.example/", "  spam.example  "])
def test_editor_adds_a_blocked_domain_in_any_usual_spelling(editor_client, typed):
    add_url = reverse("admin:django_comments_xtd_blacklisteddomain_add")

    response = submit_form(editor_client, add_url, "blacklisteddomain_form", domain=typed)

    assert response.status_code == 302
    assert list(BlackListedDomain.objects.values_list("domain", flat=True)) == ["spam.example"]


def test_blocked_domain_form_says_what_the_list_does(editor_client):
    page = editor_client.get(reverse("admin:django_comments_xtd_blacklisteddomain_add")).content.decode()

    assert "wait for moderation" in page


def test_blocked_domain_that_is_not_a_domain_is_refused(editor_client):
    add_url = reverse("admin:django_comments_xtd_blacklisteddomain_add")

    response = submit_form(editor_client, add_url, "blacklisteddomain_form", domain="not a domain")

    assert response.status_code == 200
    assert 'value="not a domain"' in response.content.decode()
    assert not BlackListedDomain.objects.exists()
