"""comments.bulk.add_comments: many comments stored at once (the WordPress import), threaded as xtd threads them,
with the article's totals and its cached comment pages kept right."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from comments.bulk import add_comments
from tests.comment_factories import CommentFactory
from tests.forms import BrowserClient

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def row(article, text, *, public=True):
    return Comment(
        content_type=ContentType.objects.get_for_model(article),
        object_pk=str(article.pk),
        site_id=1,
        user_name="Importer",
        comment=text,
        submit_date=timezone.now(),
        is_public=public,
    )


def test_added_comments_join_the_thread_beside_readers_comments(article):
    earlier = CommentFactory(article=article, comment="A reader's comment.")
    reply, answer, held = row(article, "A reply."), row(article, "An answer."), row(article, "Held.", public=False)

    add_comments(article, [reply, answer, held], [earlier.pk, reply, None])

    stored = {c.comment: c for c in XtdComment.objects.all()}
    assert (stored["A reply."].thread_id, stored["A reply."].parent_id, stored["A reply."].level) == (
        earlier.pk,
        earlier.pk,
        1,
    )
    assert (stored["An answer."].parent_id, stored["An answer."].level) == (reply.pk, 2)
    article.refresh_from_db()
    assert (article.comment_count, article.comment_thread_count) == (3, 1)


def test_added_comments_show_on_the_article_page_served_from_the_cache(article):
    BrowserClient().get(article.get_absolute_url())

    add_comments(article, [row(article, "Came across from WordPress.")], [None], only_comments=True)

    assert "Came across from WordPress." in BrowserClient().get(article.get_absolute_url()).content.decode()
