"""Reads of article comments, the bottom layer of the comments app: every other module finds comments here.

Queries go through xtd's `norel_objects`, without its joins (not even to the content type).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import XtdComment

# Counted and paginated: removed comments are shown only as placeholders that keep a thread's shape.
SHOWN = Q(is_removed=False)
# Awaiting moderation: not public yet, and not removed (nor marked as spam).
HELD = Q(is_public=False, is_removed=False)


def max_thread_level():
    """The deepest level a comment may sit at (0 is top level)."""
    return xtd_settings.COMMENTS_XTD_MAX_THREAD_LEVEL_BY_APP_MODEL.get(
        "blog.article", xtd_settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    )


def article_comments(article):
    """All comments on the article, public or not."""
    return XtdComment.norel_objects.filter(
        content_type=ContentType.objects.get_for_model(article), object_pk=str(article.pk)
    )


def visible_comments(article):
    """Comments readers may see: approved ones, and removed ones whose replies keep the thread's shape."""
    return article_comments(article).filter(is_public=True)


def approved_comments(article):
    """Comments every reader sees on the article: approved and not removed (the feed, the counts)."""
    return visible_comments(article).filter(SHOWN)


def held_comments():
    """Comments on any article that await moderation."""
    return XtdComment.norel_objects.filter(HELD)


def page_of_thread(comments, thread_id):
    """Which page of threads the thread `thread_id` is on, among `comments` (one article's)."""
    earlier_threads = comments.filter(SHOWN, is_public=True, thread_id__lt=thread_id).values("thread_id").distinct()
    return earlier_threads.count() // settings.COMMENTS_THREADS_PER_PAGE + 1


def page_of_comment(comment):
    """Which page of its article's thread list a comment is on (a held reply: the page of the comment it answers)."""
    comments = XtdComment.norel_objects.filter(content_type_id=comment.content_type_id, object_pk=comment.object_pk)
    return page_of_thread(comments, comment.thread_id)


def reply_target(article, value):
    """The comment a reply_to value names, when it is visible on the article and may take replies; else None."""
    try:
        parent_id = int(value or 0)
    except (TypeError, ValueError):
        return None
    if not parent_id:
        return None
    return (
        article_comments(article)
        .filter(pk=parent_id, is_public=True, is_removed=False, level__lt=max_thread_level())
        .only("pk", "user_name")
        .first()
    )
