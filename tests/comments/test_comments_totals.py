"""Each article stores how many comments and threads readers see (comments.totals.recount_comments),
so its page never counts the thread: every change to the comments must update them."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from blog.models import Article
from comments import services
from comments.totals import recount_once_per_article
from tests.comment_factories import CommentFactory, post_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]


def totals(article):
    article.refresh_from_db()
    return article.comment_count, article.comment_thread_count


def test_comment_posted_through_the_form_is_counted(client, article):
    post_comment(client, article, comment="First!")

    assert totals(article) == (1, 1)


def test_reply_is_counted_in_its_thread(article):
    root = CommentFactory(article=article)
    CommentFactory(article=article, parent=root)

    assert totals(article) == (2, 1)


def test_held_comment_is_counted_once_approved(article):
    held = CommentFactory(article=article, is_public=False)
    assert totals(article) == (0, 0)

    services.approve(comments=XtdComment.objects.filter(pk=held.pk))

    assert totals(article) == (1, 1)


def test_removed_comment_is_no_longer_counted(article):
    comment = CommentFactory(article=article)

    services.remove(comments=XtdComment.objects.filter(pk=comment.pk))

    assert totals(article) == (0, 0)


def test_comment_marked_as_spam_is_no_longer_counted(article):
    comment = CommentFactory(article=article)
    CommentFactory(article=article)

    services.mark_spam(comments=XtdComment.objects.filter(pk=comment.pk))

    assert totals(article) == (1, 1)


def test_deleted_comment_is_no_longer_counted(article):
    CommentFactory(article=article).delete()

    assert totals(article) == (0, 0)


def recounts(queries):
    """The recounts among captured queries (comments.totals.recount_comments' aggregate)."""
    return [query for query in queries.captured_queries if 'AS "threads"' in query["sql"]]


def test_comments_deleted_together_in_the_admin_are_counted_once(editor_client, article):
    doomed = CommentFactory.create_batch(5, article=article)
    CommentFactory(article=article)

    with CaptureQueriesContext(connection) as queries:
        editor_client.post(
            reverse("admin:django_comments_xtd_xtdcomment_changelist"),
            {"action": "delete_selected", "post": "yes", "_selected_action": [comment.pk for comment in doomed]},
        )

    assert totals(article) == (1, 1)
    assert len(recounts(queries)) == 1


def test_comment_posted_through_the_form_is_counted_once(client, article):
    with CaptureQueriesContext(connection) as queries:
        post_comment(client, article, comment="First!")

    assert len(recounts(queries)) == 1


def delete_then_fail(comment):
    with recount_once_per_article():
        comment.delete()
        raise RuntimeError("after the delete")


def test_changes_in_a_block_that_fails_are_counted_once_the_transaction_commits(
    article, django_capture_on_commit_callbacks
):
    comment = CommentFactory(article=article)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError, match="after the delete"):
        delete_then_fail(comment)

    assert totals(article) == (0, 0)


def test_comment_unpublished_in_its_change_form_is_no_longer_counted(article):
    comment = XtdComment.objects.get(pk=CommentFactory(article=article).pk)
    comment.is_public = False
    comment.save()

    assert totals(article) == (0, 0)


def test_seeded_comments_are_counted(site_content):
    call_command("seed_comments", article=site_content.slug, count=30, depth=3, verbosity=0)

    comments, threads = totals(site_content)
    assert comments == 30
    assert threads == XtdComment.objects.filter(level=0).count()


def test_migration_counts_the_comments_articles_already_have(article):
    CommentFactory.create_batch(3, article=article)
    Article.objects.filter(pk=article.pk).update(comment_count=0, comment_thread_count=0)
    migration = importlib.import_module("blog.migrations.0005_article_comment_totals")

    migration.count_existing_comments(apps, schema_editor=None)

    assert totals(article) == (3, 3)


def test_editor_saving_an_article_loaded_before_a_comment_keeps_its_count(article):
    loaded = Article.objects.get(pk=article.pk)
    CommentFactory(article=article)

    loaded.title = "A new title"
    loaded.save()

    assert totals(article) == (1, 1)
    assert article.title == "A new title"
