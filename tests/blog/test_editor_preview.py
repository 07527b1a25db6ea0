"""Staff preview drafts and unsaved changes as readers would see them; scheduled articles appear on time."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory
from tests.forms import BrowserClient, form_data
from tests.newsroom import add_article, change_url

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("admin:blog_article_preview", args=[article.pk])


def test_change_form_has_a_preview_button_that_posts_the_form_to_the_preview(editor_client, site_content):
    content = editor_client.get(change_url(site_content)).content.decode()

    assert f'formaction="{preview_url(site_content)}" formtarget="_blank"' in content


def test_add_form_has_a_preview_button_too(editor_client):
    content = editor_client.get(reverse("admin:blog_article_add")).content.decode()

    assert f'formaction="{reverse("admin:blog_article_preview_new")}"' in content


def test_preview_shows_unsaved_changes_with_the_reader_template(editor_client, site_content):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data.update(title="A title not saved yet", body="## A new heading\r\n\r\nNew text.")

    response = editor_client.post(preview_url(site_content), data)

    assert response.status_code == 200
    assert response.templates[0].name == "blog/article_detail.html"
    content = response.content.decode()
    assert "<h1>A title not saved yet</h1>" in content
    assert "<h2>A new heading</h2>" in content
    assert "Alison Johnson" in content


def test_preview_saves_nothing(editor_client, site_content):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data.update(title="A title not saved yet", change_kind="update", change_note="Not yet.")

    editor_client.post(preview_url(site_content), data)

    saved = Article.objects.get(pk=site_content.pk)
    assert (saved.title, saved.version, saved.updates.count()) == (site_content.title, site_content.version, 1)
    assert saved.history.count() == 1


def test_preview_of_a_new_draft_before_it_is_ever_saved(editor_client, site_content):
    data = form_data(editor_client.get(reverse("admin:blog_article_add")), "article_form")
    data.update(title="Draft in progress", slug="draft-in-progress", author=str(site_content.author.pk), body="Hello.")

    response = editor_client.post(reverse("admin:blog_article_preview_new"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Draft in progress</h1>" in content
    assert "Preview: readers cannot see this article yet" in content
    assert not Article.objects.filter(slug="draft-in-progress").exists()


def test_preview_of_invalid_data_names_the_problem_field(editor_client, site_content):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data["title"] = ""

    response = editor_client.post(preview_url(site_content), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "<dt>Title</dt>" in content
    assert "This field is required." in content


def test_preview_is_never_cached_nor_indexed(editor_client, site_content):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")

    response = editor_client.post(preview_url(site_content), data)

    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_preview_only_answers_posts(editor_client, site_content):
    assert editor_client.get(preview_url(site_content)).status_code == 405


def test_preview_of_an_article_that_is_not_there_is_404(editor_client):
    for object_id in ["999999", "not-a-number"]:
        url = reverse("admin:blog_article_preview", args=[object_id])

        assert editor_client.post(url, {"title": "x"}).status_code == 404


def test_preview_is_closed_to_visitors(client, site_content):
    response = client.post(preview_url(site_content), {"title": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_scheduled_article_stays_hidden_until_its_time(client):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=2), title="Scheduled piece")

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Scheduled piece" not in client.get(reverse("blog:home")).content.decode()


def test_scheduled_article_appears_on_its_own_when_the_time_comes(client):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=2), title="Scheduled piece")

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2, minutes=1)):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "Scheduled piece" in client.get(reverse("blog:home")).content.decode()


def test_editor_schedules_an_article_through_the_admin(editor_client, site_content):
    publish_at = timezone.localtime() + datetime.timedelta(days=1)
    response = add_article(editor_client, "Tomorrow's story", author=site_content.author, published_at=publish_at)

    assert response.status_code == 302
    url = Article.objects.get(slug="tomorrows-story").get_absolute_url()
    reader = BrowserClient()

    assert reader.get(url).status_code == 404
    with time_machine.travel(publish_at + datetime.timedelta(seconds=1)):
        assert reader.get(url).status_code == 200
