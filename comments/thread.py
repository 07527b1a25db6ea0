"""What readers see of an article's thread, the same for every reader of a page of comments: one query for the
page's comments (the totals are stored on the article, comments.totals).

The thread is assembled in Python into a flat, depth-first list that carries each comment's depth and how many
nested lists close after it, so the comment list template renders the whole tree in one loop.
"""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone

from authors.avatars import avatar_context
from config.jinja2 import render_fragment

from .queries import approved_comments, article_comments, max_thread_level, page_of_thread, visible_comments


class ThreadComment(NamedTuple):
    """One comment as the thread shows it (THREAD_FIELDS, in order)."""

    pk: int
    user_name: str
    user_url: str
    comment: str
    submit_date: datetime.datetime
    thread_id: int
    parent_id: int
    level: int
    is_removed: bool


THREAD_FIELDS = ThreadComment._fields


@dataclass(slots=True)
class Entry:
    """A comment as the list draws it: its place in the tree and what the template shows, prepared here
    (templates/jinja2/comments/comment_list.html only prints these)."""

    comment: ThreadComment
    has_children: bool = False
    closes: range = range(0)
    can_reply: bool = False
    submitted: str = ""  # ISO 8601, in the site's time zone.
    shown_date: str = ""  # "04/08/2016 at 14:05" (BLOG_DATE_FORMAT).
    website: str = ""  # The author's site, when it is a web address.
    avatar: dict = field(default_factory=dict)
    reply_url: str = ""
    held: bool = False  # Awaiting moderation: shown only to its author (comments.views.held_comments).


def shown_dates(moments):
    """(ISO 8601, "<day> at HH:MM") for each aware datetime, in the site's time zone and BLOG_DATE_FORMAT;
    each distinct day is formatted once (a page of comments comes from a few days)."""
    zone = timezone.get_current_timezone()
    days = {}
    shown = []
    for moment in moments:
        local = moment.astimezone(zone)
        day = local.date()
        if day not in days:
            days[day] = formats.date_format(day, settings.BLOG_DATE_FORMAT)
        shown.append((local.isoformat(), f"{days[day]} at {local:%H:%M}"))
    return shown


def comment_page(article, page_number):
    """The Django Page of top-level threads for `page_number` (any junk value gives a valid page) and the count."""
    paginator = Paginator(range(article.comment_thread_count), settings.COMMENTS_THREADS_PER_PAGE)
    return paginator.get_page(page_number), article.comment_count


def build_entries(comments, reply_below_level, held_ids=frozenset()):
    """Depth-first ThreadComments (by thread, order) into entries; drop orphans and childless removed ones.

    `reply_below_level`: comments above this level get a Reply link (0: none do). `held_ids`: comments awaiting
    moderation, shown to their author in their place, marked so and without a Reply link.
    """
    kept_ids = set()
    kept = []
    for comment in comments:
        if comment.parent_id == comment.pk or comment.parent_id in kept_ids:
            kept_ids.add(comment.pk)
            kept.append(comment)
    parents_of_shown = set()
    shown = []
    for comment in reversed(kept):
        if not comment.is_removed or comment.pk in parents_of_shown:
            shown.append(comment)
            parents_of_shown.add(comment.parent_id)
    shown.reverse()
    entries = []
    dates = shown_dates(comment.submit_date for comment in shown)
    for index, (comment, (submitted, shown_date)) in enumerate(zip(shown, dates, strict=True)):
        next_level = shown[index + 1].level if index + 1 < len(shown) else 0
        has_children = next_level > comment.level
        held = comment.pk in held_ids
        can_reply = not comment.is_removed and not held and comment.level < reply_below_level
        entries.append(
            Entry(
                comment=comment,
                has_children=has_children,
                closes=range(0 if has_children else comment.level - next_level),
                can_reply=can_reply,
                submitted=submitted,
                shown_date=shown_date,
                website=comment.user_url if comment.user_url.lower().startswith(("http://", "https://")) else "",
                avatar=avatar_context(comment.user_name, 40),
                reply_url=reverse("comment-reply", args=[comment.pk]) if can_reply else "",
                held=held,
            )
        )
    return entries


def thread_context(article, page_number=1, held=()):
    """Context for comments/thread.html: the same for every reader of this page of comments.

    `held`: comments awaiting moderation that the reader proved are theirs (a private link), each shown in its
    place: a reply under the comment it answers (if that is on this page), a new thread at the end."""
    page, count = comment_page(article, page_number)
    per_page = page.paginator.per_page
    offset = (page.number - 1) * per_page
    threads = (
        approved_comments(article).order_by("thread_id").values("thread_id").distinct()[offset : offset + per_page]
    )
    # Run even with no comments, so the page costs the same queries whatever the thread's size.
    rows = visible_comments(article).filter(thread_id__in=threads)
    held_ids = frozenset(comment.pk for comment in held)
    if held_ids:
        rows = article_comments(article).filter(Q(pk__in=held_ids) | Q(is_public=True, thread_id__in=threads))
    rows = rows.order_by("thread_id", "order")
    comments = list(map(ThreadComment._make, rows.values_list(*THREAD_FIELDS)))
    open_for_replies = article.comments_open()
    entries = build_entries(comments, max_thread_level() if open_for_replies else 0, held_ids)
    page_url = f"{article.get_absolute_url()}?cpage={page.number}"
    return {
        "article": article,
        "comment_count": count,
        "comment_entries": entries,
        "held_shown": any(entry.held for entry in entries),
        "comment_list": render_fragment("comments/comment_list.html", {"entries": entries, "page_url": page_url}),
        "comment_page": page,
    }


def lone_entries(comments, *, held=False):
    """Entries for ThreadComments shown each on its own, without replies: the comment a reply page answers, or
    the reader's own comments awaiting moderation (`held`)."""
    dates = shown_dates(comment.submit_date for comment in comments)
    return [
        Entry(
            comment=comment,
            submitted=submitted,
            shown_date=shown_date,
            website=comment.user_url if comment.user_url.lower().startswith(("http://", "https://")) else "",
            avatar=avatar_context(comment.user_name, 40),
            held=held,
        )
        for comment, (submitted, shown_date) in zip(comments, dates, strict=True)
    ]


def thread_comment(comment):
    """An XtdComment as the thread's ThreadComment."""
    return ThreadComment(*(getattr(comment, name) for name in THREAD_FIELDS))


def held_entries(article, ids):
    """Entries for those of the comments `ids` on the article that await moderation, for comments.js to put in
    their places on the public page (comments.views.held_comments)."""
    rows = (
        article_comments(article).filter(pk__in=ids, is_public=False, is_removed=False).order_by("thread_id", "order")
    )
    return lone_entries(list(map(ThreadComment._make, rows.values_list(*THREAD_FIELDS))), held=True)


def held_reply_places(article, entries):
    """Where the comments that the held replies among `entries` answer are, for a page of threads that does not
    show them: {reply's pk: (the answered comment's author, or "" if it was removed since; its page of threads)}."""
    replies = [entry.comment for entry in entries if entry.comment.parent_id != entry.comment.pk]
    if not replies:
        return {}
    comments = article_comments(article)
    parents = comments.filter(pk__in={reply.parent_id for reply in replies})
    names = {pk: "" if removed else name for pk, name, removed in parents.values_list("pk", "user_name", "is_removed")}
    pages = {thread_id: page_of_thread(comments, thread_id) for thread_id in {reply.thread_id for reply in replies}}
    return {reply.pk: (names.get(reply.parent_id, ""), pages[reply.thread_id]) for reply in replies}
