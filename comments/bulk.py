"""Many comments added at once (an import): the comments app's API for writing comment rows in bulk.

xtd computes a comment's thread_id, level, order and nested_count in save(), with several queries per comment;
bulk_create cannot write a multi-table child (XtdComment extends django_comments' Comment). So the parent rows go
in with bulk_create, the thread fields are laid out here for the article's whole tree, and the child rows go in
with one INSERT. The article's totals are then stored, and the pages showing its comments invalidated.
"""

from collections import defaultdict

from django.db import connection
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment
from psycopg2.extras import execute_values

from blog.models import Article
from config.cachetags import invalidate, object_tag

from .queries import article_comments
from .totals import recount_comments


def add_comments(article, rows, parents, *, only_comments=False):
    """Store `rows` (unsaved django_comments Comments on `article`, in the order their threads are listed) as
    threaded comments; `parents[i]` is what rows[i] replies to: None, another of `rows`, or a stored comment's pk.

    `only_comments`: the article has no other comments (a new one), so its totals are counted from `rows`
    without reading the thread back. The rows get their pks.
    """
    Comment.objects.bulk_create(rows)
    new_pks = {row.pk for row in rows}
    stored = (
        []
        if only_comments
        else article_comments(article).exclude(pk__in=new_pks).values_list("pk", "parent_id", "submit_date")
    )
    nodes = [(pk, None if parent == pk else parent, date) for pk, parent, date in stored]
    for row, parent in zip(rows, parents, strict=True):
        nodes.append((row.pk, parent.pk if isinstance(parent, Comment) else parent, row.submit_date))
    layout = thread_layout(nodes)
    table = XtdComment._meta.db_table
    with connection.cursor() as cursor:
        execute_values(  # One statement for all rows (executemany would send one per row).
            cursor.cursor,
            f'INSERT INTO {table} (comment_ptr_id, thread_id, parent_id, level, "order", nested_count, followup) '  # noqa: S608 (table name from the model)
            "VALUES %s",
            [(pk, *layout[pk], False) for pk in sorted(new_pks)],
        )
        if changed := [(*values, pk) for pk, values in layout.items() if pk not in new_pks]:
            cursor.executemany(
                f'UPDATE {table} SET thread_id = %s, parent_id = %s, level = %s, "order" = %s, '  # noqa: S608
                "nested_count = %s WHERE comment_ptr_id = %s",
                changed,
            )
    if only_comments:
        shown = [row for row in rows if row.is_public and not row.is_removed]
        threads = {layout[row.pk][0] for row in shown}
        Article.objects.store_comment_totals(article, comments=len(shown), threads=len(threads))
    else:
        recount_comments(article.pk)
    invalidate(object_tag(article, "comments"))


def thread_layout(nodes):
    """xtd's thread fields for comments given as (pk, parent pk or None, submit date).

    Returns pk → (thread_id, parent_id, level, order, nested_count): a top-level comment is its own thread and
    parent at level 0; ``order`` numbers a thread depth first from 1, replies in date order; ``nested_count``
    counts all replies below a comment.
    """
    children = defaultdict(list)
    roots = []
    known = {pk for pk, _, _ in nodes}
    for pk, parent, date in nodes:
        (children[parent] if parent in known else roots).append((date, pk))
    layout = {}

    def walk(pk, thread, parent, level, counter):
        counter[0] += 1
        order = counter[0]
        nested = 0
        for _, child in sorted(children.get(pk, [])):
            nested += 1 + walk(child, thread, pk, level + 1, counter)
        layout[pk] = (thread, parent, level, order, nested)
        return nested

    for _, pk in sorted(roots):
        walk(pk, pk, pk, 0, [0])
    return layout
