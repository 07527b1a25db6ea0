"""seed_comments makes valid xtd threads in bulk; clear_comment_ips forgets old IP addresses."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from comments.models import PostingCounter
from tests.comment_factories import CommentFactory, post_comment

pytestmark = pytest.mark.django_db


def test_seed_comments_creates_the_count_with_some_signed_in_users(article):
    call_command("seed_comments", article=article.slug, count=300, depth=3, seed=7, verbosity=0)

    comments = XtdComment.objects.filter(object_pk=str(article.pk))
    assert comments.count() == 300
    assert comments.filter(user__isnull=False).exists()
    assert set(comments.values_list("level", flat=True)) == {0, 1, 2}


def test_seeded_threads_have_the_thread_data_xtd_would_compute(article):
    call_command("seed_comments", article=article.slug, count=200, depth=3, seed=3, verbosity=0)
    comments = {comment.pk: comment for comment in XtdComment.norel_objects.all()}

    for comment in comments.values():
        if comment.level == 0:
            assert (comment.parent_id, comment.thread_id, comment.order) == (comment.pk, comment.pk, 1)
        else:
            parent = comments[comment.parent_id]
            assert (comment.level, comment.thread_id) == (parent.level + 1, parent.thread_id)
            assert comment.order > parent.order
    descendants = dict.fromkeys(comments, 0)
    for comment in comments.values():
        ancestor = comment
        while ancestor.parent_id != ancestor.pk:
            ancestor = comments[ancestor.parent_id]
            descendants[ancestor.pk] += 1
    assert all(comments[pk].nested_count == count for pk, count in descendants.items())
    orders = XtdComment.norel_objects.values("thread_id", "order").annotate(n=Count("pk")).filter(n__gt=1)
    assert not orders.exists()


def test_reply_to_a_seeded_comment_works_through_the_form(client, article, comments_publish_at_once):
    call_command("seed_comments", article=article.slug, count=20, depth=3, seed=5, verbosity=0)
    parent = XtdComment.objects.filter(level=1).first()

    response = post_comment(client, article, replying_to=parent, comment="Reply to seeded.")

    assert response.status_code == 302
    assert XtdComment.objects.get(comment="Reply to seeded.").thread_id == parent.thread_id


def test_seed_comments_leaves_planner_statistics_that_count_the_new_comments(article):
    """Stale statistics would plan the thread's queries for an empty table (and the bench would measure that)."""
    call_command("seed_comments", article=article.slug, count=300, depth=3, seed=7, verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [XtdComment._meta.db_table])
        assert cursor.fetchone()[0] >= 300


def test_seed_comments_refuses_an_unknown_article(db):
    with pytest.raises(CommandError, match="No article"):
        call_command("seed_comments", article="nope", count=5, verbosity=0)


def test_seed_comments_refuses_a_depth_beyond_the_thread_limit(article):
    with pytest.raises(CommandError, match="--depth"):
        call_command("seed_comments", article=article.slug, count=5, depth=9, verbosity=0)


def test_clear_comment_ips_forgets_addresses_older_than_the_retention(article, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old = CommentFactory(
        article=article, ip_address="192.0.2.1", submit_date=timezone.now() - datetime.timedelta(days=31)
    )
    recent = CommentFactory(article=article, ip_address="192.0.2.2")

    call_command("clear_comment_ips", verbosity=0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None
    assert recent.ip_address == "192.0.2.2"


def test_clear_comment_ips_deletes_spent_flood_counters(db):
    old = PostingCounter.objects.create(key="ip:192.0.2.1", window_start=timezone.now() - datetime.timedelta(hours=1))
    current = PostingCounter.objects.create(key="ip:192.0.2.2", window_start=timezone.now())
    previous = PostingCounter.objects.create(
        key="ip:192.0.2.3", window_start=timezone.now() - datetime.timedelta(seconds=90)
    )  # Still weighed by the sliding window.

    call_command("clear_comment_ips", verbosity=0)

    assert set(PostingCounter.objects.all()) == {current, previous}
    assert not PostingCounter.objects.filter(pk=old.pk).exists()
