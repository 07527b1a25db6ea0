"""Redirects (config/redirect_rules.py): only to a path on this site, never from /.well-known/, and never naming an
article readers cannot see yet."""

import datetime

import pytest
import time_machine
from django.contrib.redirects.models import Redirect
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, EditorFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def superuser_client(client):
    client.force_login(EditorFactory(is_superuser=True))
    return client


def add_redirect(client, old_path, new_path):
    add_url = reverse("admin:redirects_redirect_add")
    data = {**form_data(client.get(add_url), "redirect_form"), "site": "1", "old_path": old_path, "new_path": new_path}
    return client.post(add_url, data)


@pytest.mark.parametrize(
    "new_path",
    ["https://evil.example/x", "//evil.example/x", "/\\evil.example/x", "http:/evil.example", "javascript:alert(1)"],
)
def test_editors_cannot_redirect_to_another_site(superuser_client, new_path):
    response = add_redirect(superuser_client, "/old-page/", new_path)

    assert response.status_code == 200
    assert "Redirect only to a path on this site" in response.content.decode()
    assert not Redirect.objects.exists()


def test_well_known_addresses_are_reserved(superuser_client):
    response = add_redirect(superuser_client, "/.well-known/acme-challenge/token", "/about-us/")

    assert response.status_code == 200
    assert "reserved" in response.content.decode()
    assert not Redirect.objects.exists()


def test_a_site_relative_redirect_is_accepted_and_followed(superuser_client, client):
    assert add_redirect(superuser_client, "/old-page/", "/articles/somewhere/").status_code == 302

    assert client.get("/old-page/")["Location"] == "/articles/somewhere/"


def test_a_stored_external_or_well_known_redirect_is_not_followed(client):
    Redirect.objects.create(site_id=1, old_path="/.well-known/acme-challenge/t", new_path="/about-us/")
    Redirect.objects.create(site_id=1, old_path="/gone-elsewhere/", new_path="https://evil.example/")

    assert client.get("/.well-known/acme-challenge/t").status_code == 404
    assert client.get("/gone-elsewhere/").status_code == 404


def test_a_renamed_and_rescheduled_article_is_not_named_before_it_is_out(client):
    article = ArticleFactory(slug="old-slug")
    out_at = timezone.now() + datetime.timedelta(days=2)
    article.slug, article.published_at = "secret-new-slug", out_at
    article.save()

    response = client.get("/articles/old-slug/")

    assert response.status_code == 404
    assert "secret-new-slug" not in response.get("Location", "")
    assert b"secret-new-slug" not in response.content
    with time_machine.travel(out_at + datetime.timedelta(minutes=1)):
        assert client.get("/articles/old-slug/")["Location"] == "/articles/secret-new-slug/"
