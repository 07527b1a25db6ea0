"""Simultaneous posts, as several gunicorn workers would receive them, each on its own database connection.

Other connections only see committed rows, so these tests commit for real: transactional tests, whose flush is
followed by reloading what the migrations made (serialized_rollback), as in the other multi-connection tests.
"""

import threading

import pytest
from django.db import connection, transaction
from django_comments_xtd.models import XtdComment

from blog.models import Article
from tests.comment_factories import CommentFactory, comment_form_data
from tests.factories import ArticleFactory
from tests.forms import BrowserClient

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _comment_settings(comments_publish_at_once):
    comments_publish_at_once.COMMENTS_RATE_LIMIT = 100


@pytest.fixture
def committed_article():
    """An article committed to the database, so that every connection sees it."""
    return ArticleFactory()


def post_together(payloads):
    """Post every payload at the same instant from its own thread; return the status codes."""
    barrier = threading.Barrier(len(payloads))
    statuses = []

    def post(data):
        try:
            barrier.wait()
            statuses.append(BrowserClient().post("/comments/post/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_double_submit_stores_one_comment(committed_article):
    data = comment_form_data(BrowserClient(), committed_article, comment="Clicked five times.")

    statuses = post_together([data] * 5)

    assert statuses == [302] * 5
    assert XtdComment.objects.filter(comment="Clicked five times.").count() == 1


def test_simultaneous_readers_each_get_their_comment_stored_once(committed_article):
    client = BrowserClient()
    payloads = [
        comment_form_data(client, committed_article, email=f"r{n}@example.com", comment=f"Reader {n}")
        for n in range(20)
    ]

    statuses = post_together(payloads)

    assert statuses == [302] * 20
    assert sorted(XtdComment.objects.values_list("comment", flat=True)) == sorted(f"Reader {n}" for n in range(20))


def test_simultaneous_readers_are_all_counted_in_the_stored_totals(committed_article):
    """End to end, under whatever timing the threads happen to get; the next test forces one interleaving."""
    client = BrowserClient()
    payloads = [
        comment_form_data(client, committed_article, email=f"r{n}@example.com", comment=f"Reader {n}")
        for n in range(20)
    ]

    post_together(payloads)

    committed_article.refresh_from_db()
    assert (committed_article.comment_count, committed_article.comment_thread_count) == (20, 20)


def waits_for_a_lock(backend_pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [backend_pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_totals_count_a_comment_whose_transaction_was_open_during_another_recount(committed_article, django_db_blocker):
    """The second writer's recount runs (and waits) while the first writer's transaction is open."""
    writer_holds_article, finish_writer = threading.Event(), threading.Event()
    second_writer = {}

    def writer():  # Its comment is counted while its transaction is open, locking the article.
        with django_db_blocker.unblock():
            with transaction.atomic():
                CommentFactory(article=committed_article)
                writer_holds_article.set()
                finish_writer.wait(10)
            connection.close()

    def another_writer():  # Autocommit: its recount runs at once, after its comment is committed.
        with django_db_blocker.unblock():
            connection.ensure_connection()
            second_writer["pid"] = connection.connection.get_backend_pid()
            CommentFactory(article=committed_article)
            connection.close()

    threads = [threading.Thread(target=writer), threading.Thread(target=another_writer)]
    threads[0].start()
    assert writer_holds_article.wait(10)
    threads[1].start()
    for _ in range(200):
        if "pid" in second_writer and waits_for_a_lock(second_writer["pid"]):
            break
        threading.Event().wait(0.05)
    else:
        pytest.fail("the second recount never waited for the first writer's transaction")
    finish_writer.set()
    for thread in threads:
        thread.join()

    committed_article.refresh_from_db()
    assert committed_article.comment_count == 2


def test_comment_saved_while_another_transaction_holds_its_article_does_not_wait(committed_article, django_db_blocker):
    """Waiting inside the comment's transaction could deadlock (xtd locks a thread's rows); it is counted on commit."""
    holder_has_lock, release, holder_gave_up = threading.Event(), threading.Event(), threading.Event()

    def holder():
        with django_db_blocker.unblock():
            with transaction.atomic():
                list(Article.objects.select_for_update().filter(pk=committed_article.pk))
                holder_has_lock.set()
                if not release.wait(10):
                    holder_gave_up.set()
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert holder_has_lock.wait(10)
    with transaction.atomic():
        CommentFactory(article=committed_article)
        assert not holder_gave_up.is_set()  # Had the save waited for the lock, the holder would have given up.
        release.set()
    thread.join()

    committed_article.refresh_from_db()
    assert (committed_article.comment_count, committed_article.comment_thread_count) == (1, 1)
