"""Comments: their statuses mapped, their threads laid out as WordPress showed them (``wordpress.threads``),
and stored with two bulk INSERTs per post (see ``_insert_comments``) and their totals counted once per article."""

from __future__ import annotations

import datetime
import html
import ipaddress
import re
from collections import defaultdict

from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment
from psycopg2.extras import execute_values

from blog.models import Article
from comments.thread import recount_comments

from . import threads
from .models import ImportedObject

Kind = ImportedObject.Kind


class CommentsMixin:
    """The Importer's comments: only ever added; one already imported, or deleted since, is left."""

    def comment_status(self, comment):
        """How an imported comment is stored: (is_public, is_removed, report label), or None to leave it out."""
        if comment.approved in ("trash", "post-trashed"):
            return None
        if comment.is_ping:
            return (False, True, f"{comment.type} stored hidden") if self.options.pingbacks == "store" else None
        if comment.approved == "1":
            return True, False, "public"
        if comment.approved == "0":
            return False, False, "held for moderation"
        if comment.approved == "spam":
            return False, True, "spam (never shown)"
        return None

    def import_comments(self, item, article, fresh=False):
        statuses = {comment.id: self.comment_status(comment) for comment in item.comments}
        for comment in item.comments:
            if statuses[comment.id] is None:
                reason = "trash" if comment.approved in ("trash", "post-trashed") else comment.type or comment.approved
                self.report.comments[f"left out ({reason})"] += 1
        already = {comment.id for comment in item.comments if self.record(Kind.COMMENT, comment.id)}
        new = [c for c in item.comments if statuses[c.id] is not None and c.id not in already]
        for comment in item.comments:
            if comment.id in already and statuses[comment.id] is not None:
                self.report.comments["already imported"] += 1
        if not new:
            return
        # As WordPress shows them: threads and replies by date (GMT), whatever the file's order.
        latest = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        threading = threads.attach_replies(
            item.comments,
            max_depth=self.max_depth,
            keep=lambda c: statuses[c.id] is not None,
            key=lambda c: (c.date_utc(self.tz) or latest, c.id),
        )
        # Inserted in that order: a thread's id is its first comment's, and threads are listed by it.
        position = {comment_id: index for index, comment_id in enumerate(threading.order)}
        new.sort(key=lambda c: position[c.id])
        self.report.rehung_deep += len(set(threading.rehung_deep) & {c.id for c in new})
        self.report.rehung_orphans += len(set(threading.rehung_orphans) & {c.id for c in new})
        existing_ids = {
            record.wp_id: record.object_id
            for comment_id in already
            if (record := self.record(Kind.COMMENT, comment_id)) is not None
        }
        self._insert_comments(article, new, statuses, threading.parents, existing_ids, fresh)
        for comment in new:
            self.report.comments[statuses[comment.id][2]] += 1
        if fresh:
            # All of a new article's comments are the ones just written: counted here, as recount_comments
            # counts them (approved and not removed; their top-level threads), without reading them back.
            shown = [c for c in new if statuses[c.id][:2] == (True, False)]
            threads_shown = {self.thread_of(c.id, threading.parents) for c in shown}
            Article.objects.store_comment_totals(article, comments=len(shown), threads=len(threads_shown))
        else:
            recount_comments(article.pk)

    def _insert_comments(self, article, new, statuses, parents, existing_ids, fresh):
        """Two INSERTs for the post's new comments, then xtd's thread fields laid out for the whole article.

        xtd computes a comment's thread_id, level, order and nested_count in save(), with several queries per
        comment; bulk_create cannot write a multi-table child (XtdComment extends django_comments' Comment),
        so the parent rows go in with bulk_create and the child rows with one executemany.
        """
        now = timezone.now()
        rows = []
        for comment in new:
            is_public, is_removed, _ = statuses[comment.id]
            name, email = comment.author, comment.email
            if comment.user_id and comment.user_id in self.authors_by_id:
                author, author_email = self.authors_by_id[comment.user_id]
                name, email = author.name, email or author_email
            rows.append(
                BaseComment(
                    content_type=self.article_type,
                    object_pk=str(article.pk),
                    site_id=settings.SITE_ID,
                    user_name=(html.unescape(name) or "Anonymous")[:50],
                    user_email=email[:254] if "@" in email else "",
                    user_url=comment.url[:200],
                    comment=self.comment_text(comment.content),
                    submit_date=comment.date_utc(self.tz) or now,
                    ip_address=self.ip(comment.ip),
                    is_public=is_public,
                    is_removed=is_removed,
                )
            )
        BaseComment.objects.bulk_create(rows)
        pk_of = dict(existing_ids)
        pk_of.update({comment.id: row.pk for comment, row in zip(new, rows, strict=True)})
        new_pks = {pk_of[comment.id] for comment in new}
        # The whole article's tree (earlier imports and readers' comments included), laid out again.
        stored = (
            []
            if fresh
            else XtdComment.norel_objects.filter(content_type=self.article_type, object_pk=str(article.pk))
            .exclude(pk__in=new_pks)
            .values("pk", "parent_id", "submit_date")
        )
        nodes = [
            (row["pk"], None if row["parent_id"] == row["pk"] else row["parent_id"], row["submit_date"])
            for row in stored
        ]
        for comment, row in zip(new, rows, strict=True):
            parent = parents.get(comment.id)
            nodes.append((row.pk, pk_of.get(parent) if parent else None, row.submit_date))
        layout = thread_layout(nodes)
        with connection.cursor() as cursor:
            table = XtdComment._meta.db_table
            # One statement for all rows (executemany would send one per row).
            execute_values(
                cursor.cursor,
                f'INSERT INTO {table} (comment_ptr_id, thread_id, parent_id, level, "order", nested_count, followup) '  # noqa: S608 (table name from the model)
                "VALUES %s",
                [(pk, *layout[pk], False) for pk in sorted(new_pks)],
            )
            changed = [(pk, *values) for pk, values in layout.items() if pk not in new_pks]
            if changed:
                cursor.executemany(
                    f'UPDATE {table} SET thread_id = %s, parent_id = %s, level = %s, "order" = %s, '  # noqa: S608
                    "nested_count = %s WHERE comment_ptr_id = %s",
                    [(*values, pk) for pk, *values in changed],
                )
        records = ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    source=self.source,
                    kind=Kind.COMMENT,
                    wp_id=comment.id,
                    content_type=self.content_types[XtdComment],
                    object_id=pk_of[comment.id],
                )
                for comment in new
            ]
        )
        for record in records:
            self.records[(Kind.COMMENT, record.wp_id)] = record
            self.written.append((self.records, (Kind.COMMENT, record.wp_id)))

    @staticmethod
    def thread_of(comment_id, parents):
        while parents.get(comment_id) is not None:
            comment_id = parents[comment_id]
        return comment_id

    @staticmethod
    def comment_text(text):
        """WordPress stores comments as HTML with auto-paragraphs; here they are plain text."""
        if "<" not in text:
            return html.unescape(text).strip() or "…"
        text = re.sub(r"(?i)<br\s*/?>", "\n", text)
        text = re.sub(r"(?i)</p>\s*<p[^>]*>", "\n\n", text)
        return BeautifulSoup(text, "html.parser").get_text().strip() or "…"

    @staticmethod
    def ip(value):
        try:
            return str(ipaddress.ip_address(value.strip())) if value.strip() else None
        except ValueError:
            return None


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
