"""What follows a change readers can see in an article's thread: the totals stored on the article (comments and
top-level threads, as WordPress keeps comment_count, so a page never counts the thread) are counted again, and
the cached pages showing its comments are invalidated (config.cachetags)."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import OperationalError, transaction
from django.db.models import Count

from blog.models import Article
from config.cachetags import invalidate, object_tag

from .queries import approved_comments

logger = logging.getLogger(__name__)

_articles_to_recount = ContextVar("articles_to_recount", default=None)


def shown_thread_changed(object_pk):
    """Readers see the article's thread differently (`object_pk`: the article's pk, as comments store it): count
    its totals, invalidate the pages that show it."""
    comments_changed(object_pk)
    invalidate(object_tag(Article(pk=object_pk), "comments"))


def recount_comments(object_pk, *, nowait=False):
    """Count the article's comments and threads as readers see them and store the totals on the article.

    The article's row is locked first, so a concurrent recount waits and then counts this one's comments
    too; with `nowait`, a lock held elsewhere raises OperationalError instead of waiting.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update(nowait=nowait).only("pk", "slug").filter(pk=object_pk).first()
        if article is None:
            return
        totals = approved_comments(article).aggregate(comments=Count("pk"), threads=Count("thread_id", distinct=True))
        Article.objects.store_comment_totals(article, **totals)


def comments_changed(object_pk):
    """Keep the article's stored totals right after its comments changed.

    Inside a transaction they are counted at once, unless another transaction holds the article: this one
    may hold comment rows the other waits for (xtd updates a thread's rows), so waiting could deadlock.
    Either way they are counted again, waiting for the lock, once this transaction has committed.
    Inside recount_once_per_article(), the article is only noted, and counted when that block ends.
    """
    if (noted := _articles_to_recount.get()) is not None:
        noted.add(object_pk)
        return
    if transaction.get_connection().in_atomic_block:
        try:
            recount_comments(object_pk, nowait=True)
        except OperationalError:
            logger.info("Comment totals of article %s: counted once its other writer commits.", object_pk)
    transaction.on_commit(partial(recount_comments, object_pk), robust=True)


@contextmanager
def recount_once_per_article():
    """Comment changes made inside count their articles' totals once, as the block ends, instead of once
    per changed comment (a bulk delete of N comments counted the whole thread 2N times).

    After an error they are counted only once the transaction commits: it may be unusable until rolled back.
    """
    noted = set()
    token = _articles_to_recount.set(noted)
    try:
        yield
    except BaseException:
        _articles_to_recount.reset(token)
        for object_pk in noted:
            transaction.on_commit(partial(recount_comments, object_pk), robust=True)
        raise
    _articles_to_recount.reset(token)
    for object_pk in noted:
        comments_changed(object_pk)
