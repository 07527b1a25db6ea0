"""Posts and pages, each in its own transaction: values, body, terms, featured image, then its comments and
redirects. ``fingerprint()`` of the values written tells, on a later run, whether an editor changed them."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from blog.models import Article
from pages.models import Page

from . import content, shortcodes
from .models import ImportedObject

Kind = ImportedObject.Kind


def fingerprint(values) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def article_values(article, categories=None, tags=None):
    """What the importer writes on an article (and an editor may change), in a comparable form.

    ``categories`` and ``tags`` (lists of pks) spare the two queries when the caller has just set them.
    """
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "published_at": article.published_at.isoformat(),
        "last_updated_on": article.last_updated_on.isoformat(),
        "author": article.author_id,
        "allow_comments": article.allow_comments,
        "featured_image": article.featured_image_id,
        "categories": sorted(article.categories.values_list("pk", flat=True) if categories is None else categories),
        "tags": sorted(article.tags.values_list("pk", flat=True) if tags is None else tags),
    }


def page_values(page):
    return {"title": page.title, "slug": page.slug, "body": page.body, "status": page.status}


class PostsMixin:
    """The Importer's posts and pages: one transaction each, its failure reported and the import going on."""

    def import_item(self, item):
        kind = Kind.POST if item.post_type == "post" else Kind.PAGE
        label = f"{item.post_type} {item.post_id} “{item.title}”"
        if item.status == "trash":
            self.report.skip(kind, label, "in the WordPress trash")
            return
        if item.status not in ("publish", "future", "draft", "pending", "private"):
            self.report.skip(kind, label, f"status “{item.status}” is not imported")
            return
        if item.post_id not in self.targets:
            self.report.skip(kind, label, f"conflicts with an existing {item.post_type} (--on-conflict=skip)")
            self.report.conflicts.append(f"{label}: the slug “{item.slug}” is taken; not imported")
            return
        if item.post_password:
            self.report.protected.append(label)
        elif item.status == "private":
            self.report.private.append(label)
        self.written = []
        try:
            with transaction.atomic():
                self.relax_commit()
                if kind == Kind.POST:
                    self.import_post(item, label)
                else:
                    self.import_page(item, label)
                self.save_redirects()
        except Exception as error:  # Any item's failure is reported, and the import goes on.
            self.forget_redirects()
            for cache, key in self.written:
                cache.pop(key, None)
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.report.skip(kind, label, f"{type(error).__name__}: {message}" if message else type(error).__name__)

    @staticmethod
    def relax_commit():
        """Commit this post's transaction without waiting for its disk flush (``SET LOCAL``: this transaction only,
        so nothing leaks to the next client of a pooled server connection, as PgBouncer's transaction pooling
        would share a session-wide ``SET``).

        A flush per post is a large share of a big import's time. A crash may lose the last few posts' commits
        (never corrupt anything), and running the import again brings them in: it is re-runnable by design.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")

    def convert_body(self, item):
        """The item's body as Markdown, and its teaser (the text before ``<!--more-->``) or None."""
        own = sorted(self.attachments_of.get(item.post_id, []), key=lambda each: (each.menu_order, each.post_id))
        context = shortcodes.Context(
            attachments=self.shortcode_attachments,
            own=[each.post_id for each in own],
            blocks=self.reusable_blocks,
            media_url=self.media_file_url,
            oembeds=[
                value
                for key, values in item.postmeta.items()
                if key.startswith("_oembed_") and not key.startswith("_oembed_time_")
                for value in values
            ],
        )
        body = content.convert(item.content, links=self.new_link, site_url=self.site_url, context=context)
        self.report.shortcodes.update(body.shortcodes)
        self.report.unmapped_links.update(body.unmapped_links)
        self.report.media_links += body.media_links
        self.report.players += body.players
        self.report.embeds += body.embeds
        self.report.missing_blocks.extend(body.missing_blocks)
        markdown = content.replace_images(body.markdown, self.library_reference)
        return re.sub(r"\n{3,}", "\n\n", markdown).strip(), body.teaser

    def import_post(self, item, label):
        record = self.record(Kind.POST, item.post_id)
        article = self.stored_object(record, Article)
        if record is not None and article is None:
            self.report.skip(Kind.POST, label, "deleted by an editor since the last import: not recreated")
            return
        published_at, publication_day, updated_day = self.post_dates(item)
        replacing = self.conflicting_object(item, Article)
        if article is not None and fingerprint(article_values(article)) != record.fingerprint:
            self.report.editor_changed.append(f"{label}: changed by an editor since the last import")
            self.report.count(Kind.POST, "kept editor's changes")
            self.import_comments(item, article)
            return
        if article is not None:
            outcome = "unchanged"
        elif replacing is not None:
            article, outcome = replacing, "replaced"
        else:
            article, outcome = Article(), "created"
        categories, tags = self.fill_article(article, item, published_at)
        if outcome == "unchanged":
            if not self.save_article_if_changed(article, record, updated_day, categories, tags):
                self.report.count(Kind.POST, "unchanged")
                self.import_comments(item, article)
                return
            outcome = "updated"
        else:
            self.save_new_article(article, publication_day, updated_day, replaced=outcome == "replaced")
        category_ids = list(dict.fromkeys(category.pk for category in categories))
        tag_ids = list(dict.fromkeys(tag.pk for tag in tags))
        self.set_article_terms(article, category_ids, tag_ids, fresh=outcome == "created")
        self.remember(Kind.POST, item.post_id, article, article_values(article, category_ids, tag_ids))
        self.report.count(Kind.POST, outcome)
        self.post_redirects(item, article.public_path(), article)
        self.import_comments(item, article, fresh=outcome == "created")

    def post_dates(self, item):
        """The post's publication moment, and the days of its publication and of its last update on WordPress."""
        published_at = item.date_utc(self.tz) or timezone.now()
        modified_at = item.modified_utc(self.tz) or published_at
        publication_day = timezone.localdate(published_at)
        return published_at, publication_day, max(timezone.localdate(modified_at), publication_day)

    def fill_article(self, article, item, published_at):
        """Set the article's fields from the item; returns its categories and tags."""
        featured = self.image_for_attachment(item.thumbnail_id) if item.thumbnail_id else None
        article.title = item.title[:200] or self.targets[item.post_id]
        article.slug = self.targets[item.post_id]
        body, teaser = self.convert_body(item)
        article.summary = html.unescape(BeautifulSoup(item.excerpt, "html.parser").get_text()).strip()[:300]
        if not article.summary and teaser is not None:
            # No excerpt: WordPress showed the teaser before <!--more--> on its front page and in its feeds.
            article.summary = shortcodes.teaser_text(teaser, 300)
        article.body = body or article.title
        article.status = self.article_status(item)
        article.published_at = published_at
        article.author = self.author_for(item.creator)
        article.allow_comments = item.comment_status == "open"
        article.featured_image = featured
        # Terms an editor deleted since the last import are None: left out.
        categories = [category for term in item.categories if (category := self.category_for(term))]
        tags = [tag for term in item.tags if (tag := self.tag_for(term.slug, term.name))]
        return categories, tags

    @staticmethod
    def save_article_if_changed(article, record, updated_day, categories, tags):
        """Save an article imported before if WordPress changed it since; returns whether it did."""
        new_values = article_values(article) | {
            "last_updated_on": max(updated_day, article.last_updated_on).isoformat(),
            "categories": sorted(category.pk for category in categories),
            "tags": sorted(tag.pk for tag in tags),
        }
        if fingerprint(new_values) == record.fingerprint:
            return False
        article._change_reason = "Imported from WordPress"
        new_day = updated_day > article.last_updated_on
        article.last_updated_on = max(updated_day, article.last_updated_on)
        article.save()
        if new_day:
            article.updates.create(date=article.last_updated_on, note="Imported from WordPress")
        return True

    @staticmethod
    def save_new_article(article, publication_day, updated_day, *, replaced):
        """Save a new article, or one that replaces an unedited one, with its history from WordPress's dates."""
        if replaced:
            article.updates.all().delete()
        article.last_updated_on = updated_day
        article._change_reason = "Imported from WordPress"
        article.save()
        if replaced:
            article.updates.create(date=updated_day)
        if updated_day != publication_day:
            # The history: the publication, then the last change made on WordPress.
            article.updates.update(date=publication_day)
            article.updates.create(date=updated_day, note="Imported from WordPress")

    @staticmethod
    def set_article_terms(article, category_ids, tag_ids, *, fresh):
        if fresh:
            # A new article has no terms yet: one INSERT each, without set()'s reads and per-change signals
            # (the public pages are invalidated once, at the end).
            Article.categories.through.objects.bulk_create(
                [Article.categories.through(article=article, category_id=pk) for pk in category_ids]
            )
            Article.tags.through.objects.bulk_create(
                [Article.tags.through(article=article, tag_id=pk) for pk in tag_ids]
            )
        else:
            article.categories.set(category_ids)
            article.tags.set(tag_ids)

    @staticmethod
    def is_public(item):
        """Whether readers may see the item: published or scheduled, and not behind a password.

        WordPress shows a password-protected post's title to all and its text (excerpt and comments too) only
        after the password is given; here it is imported as a draft, so none of it is public until an editor
        publishes it. Private posts are drafts too.
        """
        return item.status in ("publish", "future") and not item.post_password

    def article_status(self, item):
        """Published (or scheduled); Pending review for WordPress's "pending" (submitted for review there too);
        else a draft. A password-protected post is a draft whatever its status."""
        if self.is_public(item):
            return Article.Status.PUBLISHED
        if item.status == "pending" and not item.post_password:
            return Article.Status.PENDING
        return Article.Status.DRAFT

    def import_page(self, item, label):
        statuses = Counter(
            self.comment_status(comment)[2]
            for comment in item.comments
            if self.comment_status(comment) is not None and not comment.is_ping
        )
        if statuses:
            self.report.page_comments.append((label, statuses))
        record = self.record(Kind.PAGE, item.post_id)
        page = self.stored_object(record, Page)
        if record is not None and page is None:
            self.report.skip(Kind.PAGE, label, "deleted by an editor since the last import: not recreated")
            return
        outcome = "created"
        if page is not None:
            if fingerprint(page_values(page)) != record.fingerprint:
                self.report.editor_changed.append(f"{label}: changed by an editor since the last import")
                self.report.count(Kind.PAGE, "kept editor's changes")
                return
            outcome = "updated"
        else:
            replacing = self.conflicting_object(item, Page)
            page, outcome = (replacing, "replaced") if replacing is not None else (Page(), "created")
        page.title = item.title[:200] or self.targets[item.post_id]
        page.slug = self.targets[item.post_id]
        page.body = self.convert_body(item)[0] or page.title
        page.status = Page.Status.PUBLISHED if self.is_public(item) and item.status == "publish" else Page.Status.DRAFT
        if outcome == "updated" and fingerprint(page_values(page)) == record.fingerprint:
            self.report.count(Kind.PAGE, "unchanged")
            return
        page._change_reason = "Imported from WordPress"
        page.save()
        self.remember(Kind.PAGE, item.post_id, page, page_values(page))
        self.report.count(Kind.PAGE, outcome)
        self.post_redirects(item, page.public_path())
