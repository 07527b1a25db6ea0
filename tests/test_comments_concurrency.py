"""Simultaneous posts, as several gunicorn workers would receive them, each on its own database connection.

Other connections only see committed rows, so these tests commit for real and delete what they made afterwards
(no transactional_db: its flush would also wipe the rows data migrations made, such as the Editors group).
"""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import connection
from django.test import Client
from django_comments_xtd.models import XtdComment

from comments.models import PostingCounter

from .comment_factories import comment_form_data
from .factories import ArticleFactory


@pytest.fixture(autouse=True)
def _comment_settings(comments_publish_at_once):
    comments_publish_at_once.COMMENTS_RATE_LIMIT = 100


@pytest.fixture
def committed_article(django_db_blocker, settings):
    """An article committed to the database, removed again with its comments after the test.

    Tests without a django_db mark run after transactional ones, whose flush may have emptied the sites table
    and renumbered content types: start from fresh caches.
    """
    ContentType.objects.clear_cache()
    Site.objects.clear_cache()
    with django_db_blocker.unblock():
        site, site_created = Site.objects.get_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})
        article = ArticleFactory()
        yield article
        XtdComment.norel_objects.filter(object_pk=str(article.pk)).delete()
        PostingCounter.objects.all().delete()
        author = article.author
        article.delete()
        author.delete()
        if site_created:
            site.delete()
        Site.objects.clear_cache()


def post_together(payloads):
    """Post every payload at the same instant from its own thread; return the status codes."""
    barrier = threading.Barrier(len(payloads))
    statuses = []

    def post(data):
        try:
            barrier.wait()
            statuses.append(Client().post("/comments/post/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_double_submit_stores_one_comment(committed_article):
    data = comment_form_data(Client(), committed_article, comment="Clicked five times.")

    statuses = post_together([data] * 5)

    assert statuses == [302] * 5
    assert XtdComment.objects.filter(comment="Clicked five times.").count() == 1


def test_simultaneous_readers_each_get_their_comment_stored_once(committed_article):
    client = Client()
    payloads = [
        comment_form_data(client, committed_article, email=f"r{n}@example.com", comment=f"Reader {n}")
        for n in range(20)
    ]

    statuses = post_together(payloads)

    assert statuses == [302] * 20
    assert sorted(XtdComment.objects.values_list("comment", flat=True)) == sorted(f"Reader {n}" for n in range(20))


def test_simultaneous_readers_are_all_counted_in_the_stored_totals(committed_article):
    """Each recount locks the article first, so none overwrites another with a count that missed a comment."""
    client = Client()
    payloads = [
        comment_form_data(client, committed_article, email=f"r{n}@example.com", comment=f"Reader {n}")
        for n in range(20)
    ]

    post_together(payloads)

    committed_article.refresh_from_db()
    assert (committed_article.comment_count, committed_article.comment_thread_count) == (20, 20)
