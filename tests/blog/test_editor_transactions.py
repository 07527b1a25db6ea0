"""The admin's write paths as a real request runs them: no test transaction around the request.

pytest-django wraps an ordinary test in a transaction, so a row lock taken outside `transaction.atomic`
passes there and fails in production (Revert answered 500 that way). These tests run with
`transaction=True`: each request commits, or fails, exactly as on a server.
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from blog.models import Article, Tag
from tests.comment_factories import CommentFactory
from tests.factories import ArticleFactory, EditorFactory
from tests.forms import BrowserClient, form_data
from tests.newsroom import change_url, save_with

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # Keeps the Editors group.


def revision_url(article, revision):
    return reverse("admin:blog_article_simple_history", args=[article.pk, revision.history_id])


def test_revert_restores_the_revision_without_a_test_transaction(editor_client, site_content):
    assert not connection.in_atomic_block  # As in production: nothing wraps the request.
    original = site_content.history.get()
    save_with(editor_client, site_content, title="A vandalised title", body="Nothing left.")

    data = form_data(editor_client.get(revision_url(site_content, original)), "historicalarticle_form")
    response = editor_client.post(revision_url(site_content, original), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Article.objects.get(pk=site_content.pk)
    assert (restored.title, restored.body) == (site_content.title, site_content.body)


def test_revert_is_recorded_with_who_restored_which_revision(editor_client, editor, site_content):
    original = site_content.history.get()
    save_with(editor_client, site_content, title="A vandalised title")

    data = form_data(editor_client.get(revision_url(site_content, original)), "historicalarticle_form")
    editor_client.post(revision_url(site_content, original), data)

    latest = site_content.history.first()
    assert (latest.history_user, latest.history_change_reason) == (editor, f"Restored revision {original.history_id}")


def test_revert_moves_the_version_on_from_the_live_article(editor_client, site_content):
    """Restoring a revision moves the version on, so forms opened before the restore are stale."""
    original = site_content.history.get()
    save_with(editor_client, site_content, title="Second")
    save_with(editor_client, site_content, title="Third")
    version_before = Article.objects.get(pk=site_content.pk).version

    data = form_data(editor_client.get(revision_url(site_content, original)), "historicalarticle_form")
    editor_client.post(revision_url(site_content, original), data)

    assert Article.objects.get(pk=site_content.pk).version == version_before + 1


def test_revert_keeps_last_updated_on_and_the_update_history(editor_client, editor, site_content):
    original = site_content.history.get()
    site_content.record_update(note="Xiaomi replied to PTA.", date=datetime.date(2016, 9, 1), editor=editor)

    data = form_data(editor_client.get(revision_url(site_content, original)), "historicalarticle_form")
    response = editor_client.post(revision_url(site_content, original), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get(pk=site_content.pk).last_updated_on == datetime.date(2016, 9, 1)
    assert site_content.updates.count() == 2


def test_revert_over_a_newer_save_is_refused_and_keeps_the_newer_save(editor_client, site_content):
    original = site_content.history.get()
    data = form_data(editor_client.get(revision_url(site_content, original)), "historicalarticle_form")
    save_with(editor_client, site_content, title="Saved while the revision was open")

    response = editor_client.post(revision_url(site_content, original), data)

    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Article.objects.get(pk=site_content.pk).title == "Saved while the revision was open"


def test_save_with_a_conflict_is_refused_without_a_test_transaction(editor_client, site_content):
    other = BrowserClient()
    other.force_login(EditorFactory(username="amina"))
    stale = form_data(editor_client.get(change_url(site_content)), "article_form")
    save_with(other, site_content, title="Title by the first editor")
    stale["summary"] = "Summary typed by the second editor."

    response = editor_client.post(change_url(site_content), stale)

    assert response.status_code == 200
    assert "Summary typed by the second editor." in response.content.decode()
    saved = Article.objects.get(pk=site_content.pk)
    assert (saved.title, saved.summary) == ("Title by the first editor", "")


def test_a_refused_save_with_a_new_tag_leaves_no_tag(editor_client, site_content):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data.update(title="", tags=["new:Censorship"])

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    assert not Tag.objects.filter(name="Censorship").exists()


def test_a_preview_with_a_new_tag_leaves_no_tag(editor_client, site_content):
    """The preview checks the form inside a transaction of its own, which commits."""
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data["tags"] = ["new:Censorship"]

    response = editor_client.post(reverse("admin:blog_article_preview", args=[site_content.pk]), data)

    assert response.status_code == 200
    assert not Tag.objects.filter(name="Censorship").exists()


def test_mark_updated_today_action_without_a_test_transaction(editor_client, editor):
    articles = ArticleFactory.create_batch(2, last_updated_on=datetime.date(2020, 1, 1))

    response = editor_client.post(
        reverse("admin:blog_article_changelist"),
        {"action": "mark_updated_today", "_selected_action": [article.pk for article in articles]},
        follow=True,
    )

    assert "2 articles marked as updated today." in response.content.decode()
    for article in articles:
        assert article.updates.first().editor == editor
        assert article.history.first().history_user == editor


@pytest.mark.parametrize(
    ("action", "public", "removed"),
    [("approve", True, False), ("remove", True, True), ("mark_spam", False, True)],
)
def test_comment_bulk_actions_without_a_test_transaction(editor_client, action, public, removed):
    article = ArticleFactory()
    comments = CommentFactory.create_batch(3, article=article, is_public=False)
    changelist = reverse("admin:django_comments_xtd_xtdcomment_changelist")

    response = editor_client.post(
        changelist, {"action": action, "_selected_action": [comment.pk for comment in comments]}, follow=True
    )

    assert response.status_code == 200
    assert set(XtdComment.objects.values_list("is_public", "is_removed")) == {(public, removed)}
    article.refresh_from_db()
    assert article.comment_count == (3 if public and not removed else 0)


def test_comment_bulk_delete_without_a_test_transaction(editor_client):
    article = ArticleFactory()
    comments = CommentFactory.create_batch(3, article=article)
    changelist = reverse("admin:django_comments_xtd_xtdcomment_changelist")

    response = editor_client.post(
        changelist,
        {"action": "delete_selected", "post": "yes", "_selected_action": [comment.pk for comment in comments]},
        follow=True,
    )

    assert response.status_code == 200
    assert not XtdComment.objects.exists()
    article.refresh_from_db()
    assert article.comment_count == 0
