"""Two editors on the same article: the later save is stopped, told, and keeps its text."""

import pytest
from django.urls import reverse

from blog.models import Article
from tests.factories import EditorFactory
from tests.forms import BrowserClient, form_data
from tests.newsroom import change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_editor_client(db):
    client = BrowserClient()
    client.force_login(EditorFactory(username="amina"))
    return client


@pytest.fixture
def stale_save(editor_client, first_editor_client, site_content):
    """Both editors open the form; the first saves a new title; the second then saves a new summary."""
    second_data = form_data(editor_client.get(change_url(site_content)), "article_form")
    first_data = form_data(first_editor_client.get(change_url(site_content)), "article_form")
    first_data["title"] = "Title by the first editor"
    assert first_editor_client.post(change_url(site_content), first_data).status_code == 302
    second_data["summary"] = "Summary typed by the second editor."
    return editor_client.post(change_url(site_content), second_data)


def test_stale_save_is_refused_and_the_earlier_save_is_kept(stale_save, site_content):
    assert stale_save.status_code == 200
    saved = Article.objects.get(pk=site_content.pk)
    assert (saved.title, saved.summary) == ("Title by the first editor", "")


def test_stale_save_tells_who_saved_in_between(stale_save):
    errors = stale_save.context["adminform"].form.non_field_errors()

    assert len(errors) == 1
    assert errors[0].startswith("amina saved this article (")
    assert "Nothing of yours is saved yet" in errors[0]


def test_stale_save_shows_the_second_editors_text_back(stale_save):
    assert "Summary typed by the second editor." in stale_save.content.decode()


def test_saving_again_after_the_warning_keeps_the_second_editors_text(stale_save, editor_client, site_content):
    """Having been told, the editor may knowingly save their version over the other one."""
    data = form_data(stale_save, "article_form")

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 302
    assert Article.objects.get(pk=site_content.pk).summary == "Summary typed by the second editor."


def test_each_save_moves_the_version_on(editor_client, site_content):
    for _ in range(2):
        data = form_data(editor_client.get(change_url(site_content)), "article_form")
        editor_client.post(change_url(site_content), data)

    assert Article.objects.get(pk=site_content.pk).version == site_content.version + 2


def test_mark_as_updated_today_makes_open_forms_stale(editor_client, site_content):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    editor_client.post(
        reverse("admin:blog_article_changelist"),
        {"action": "mark_updated_today", "_selected_action": [site_content.pk]},
    )

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
