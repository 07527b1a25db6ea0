"""Comments: their statuses mapped, their threads ordered as WordPress showed them (``wordpress.threads``), and
stored in bulk through the comments app (``comments.bulk.add_comments``, which also keeps the article's totals)."""

from __future__ import annotations

import datetime
import html
import ipaddress
import re

from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone
from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment

from comments.bulk import add_comments

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

    def _insert_comments(self, article, new, statuses, parents, existing_ids, fresh):
        """The post's new comments, through the comments app's bulk API, and a record of each."""
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
        row_of = {comment.id: row for comment, row in zip(new, rows, strict=True)}
        replying_to = [parents.get(comment.id) for comment in new]
        add_comments(
            article,
            rows,
            [None if parent is None else row_of.get(parent) or existing_ids.get(parent) for parent in replying_to],
            only_comments=fresh,
        )
        records = ImportedObject.objects.bulk_create(
            [
                ImportedObject(
                    source=self.source,
                    kind=Kind.COMMENT,
                    wp_id=comment.id,
                    content_type=self.content_types[XtdComment],
                    object_id=row.pk,
                )
                for comment, row in zip(new, rows, strict=True)
            ]
        )
        for record in records:
            self.records[(Kind.COMMENT, record.wp_id)] = record
            self.written.append((self.records, (Kind.COMMENT, record.wp_id)))

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
