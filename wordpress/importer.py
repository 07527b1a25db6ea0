"""Import a parsed WordPress export (wordpress.wxr) into the blog: authors, categories, tags, posts, pages,
media, comments and redirects from the old addresses. ``import_export()`` is the whole job; the
``import_wordpress`` command only reads its options and prints the report.

Re-runs: every object made is recorded as an ImportedObject under its WordPress id with a fingerprint of
the values written. A later run updates an object only while its values still give that fingerprint (no
editor touched it), reports it otherwise, and never recreates an object whose record outlives it (an
editor deleted it). Comments are only ever added: a comment already imported, or deleted since, is left.

Transactions: each post or page, with its comments, media and redirects, is imported in its own
transaction; one that fails is rolled back, reported and skipped. ``dry_run`` runs the same code inside an
outer transaction that is rolled back (media is then only looked for, not stored).

Speed: comments go in with two bulk INSERTs per post (see ``_insert_comments``), the totals are counted
once per article, and the public pages are invalidated once at the end.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import html
import ipaddress
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment
from psycopg2.extras import execute_values

from authors.models import Author
from blog.models import Article, Category, Tag
from blog.redirects import normal_path
from comments.thread import max_thread_level, recount_comments
from config.pagecache import invalidate_site_pages
from images.models import Image
from pages.models import Page, reserved_slugs

from . import content, permalinks, shortcodes, threads, wxr
from .media import media_source
from .models import ImportedObject

Kind = ImportedObject.Kind
CONFLICT_CHOICES = ("skip", "rename", "replace-unedited")
PINGBACK_CHOICES = ("skip", "store")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
MEDIA_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif")
PLURALS = {"category": "categories", "attachment": "attachments"}


@dataclass
class Options:
    dry_run: bool = False
    media_from: str = ""
    author_map: dict[str, dict] = field(default_factory=dict)
    on_conflict: str = "rename"
    pingbacks: str = "skip"
    timezone: str = ""


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)  # ("post", "created") → n
    comments: Counter = field(default_factory=Counter)  # "public", "held", "spam", "pingback stored"…
    redirects: int = 0
    media_fetched: int = 0
    media_missing: list[str] = field(default_factory=list)
    shortcodes: Counter = field(default_factory=Counter)  # a plugin's shortcodes, hidden from readers
    media_links: int = 0
    embeds: int = 0
    missing_blocks: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, what, reason
    conflicts: list[str] = field(default_factory=list)
    editor_changed: list[str] = field(default_factory=list)
    authors_without_bio: list[str] = field(default_factory=list)
    rehung_deep: int = 0
    rehung_orphans: int = 0
    page_comments: list[tuple[str, Counter]] = field(default_factory=list)  # (page, comments by status)
    unmapped_links: set[str] = field(default_factory=set)
    protected: list[str] = field(default_factory=list)  # password-protected posts and pages, kept as drafts
    private: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count(self, kind, outcome, number=1):
        self.counts[(kind, outcome)] += number

    def skip(self, kind, what, reason):
        self.skipped.append((kind, what, reason))
        self.count(kind, "skipped")

    def lines(self):
        yield "Dry run: nothing was changed." if self.dry_run else "Import finished."
        kinds = dict.fromkeys(kind for kind, _ in self.counts)
        for kind in kinds:
            outcomes = ", ".join(f"{outcome} {n}" for (k, outcome), n in sorted(self.counts.items()) if k == kind)
            yield f"  {PLURALS.get(kind, kind + 's')}: {outcomes}"
        if self.comments:
            yield "  comments by status: " + ", ".join(f"{status} {n}" for status, n in sorted(self.comments.items()))
        if self.rehung_deep or self.rehung_orphans:
            yield (
                f"  replies moved to fit the reply depth: {self.rehung_deep}; "
                f"replies whose parent was not imported: {self.rehung_orphans}"
            )
        yield f"  redirects made: {self.redirects}"
        fetched = "to fetch (not fetched in a dry run)" if self.dry_run else "fetched"
        yield f"  media {fetched}: {self.media_fetched}, missing: {len(self.media_missing)}"
        for missing in self.media_missing:
            yield f"    missing: {missing}"
        if self.shortcodes:
            yield "  shortcodes hidden from readers (a plugin's; its output is not in the export): " + ", ".join(
                f"[{name}] ×{n}" for name, n in self.shortcodes.most_common()
            )
        if self.embeds:
            yield f"  embeds shown as links with their titles: {self.embeds}"
        if self.media_links:
            yield f"  audio and video shown as links to their files on the old site (not fetched): {self.media_links}"
        if self.missing_blocks:
            yield "  reusable blocks not in the export (left out): " + ", ".join(map(str, self.missing_blocks))
        if self.protected:
            yield (
                f"  password-protected, imported as drafts: {len(self.protected)} "
                "(their text is not public; publish each once it may be read by all)"
            )
            for label in self.protected:
                yield f"    {label}"
        if self.private:
            yield f"  private, imported as drafts: {len(self.private)}"
            for label in self.private:
                yield f"    {label}"
        if self.page_comments:
            total = sum(sum(counts.values()) for _, counts in self.page_comments)
            yield (
                f"  comments on pages NOT imported: {total} (pages here take no comments; they stay in the export "
                "and on the old site)"
            )
            for label, counts in self.page_comments:
                statuses = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
                yield f"    {label}: {statuses}"
        for line in self.conflicts:
            yield f"  conflict: {line}"
        for line in self.editor_changed:
            yield f"  left as the editor made it: {line}"
        if self.authors_without_bio:
            yield "  authors without a bio (give one with --author-map): " + ", ".join(self.authors_without_bio)
        if self.unmapped_links:
            yield f"  links to the old site with no imported target: {len(self.unmapped_links)}"
        for _kind, what, reason in self.skipped:
            yield f"  skipped: {what}: {reason}"


def read_author_map(path) -> dict[str, dict]:
    """``--author-map``: WordPress login → {"author": existing author's slug, "name": …, "bio": …}.

    JSON: ``{"alison": "alison-johnson", "bilal.ahmed": {"name": "Bilal Ahmed", "bio": "…"}}``.
    CSV: a header row with ``login`` and any of ``author``, ``name``, ``bio``.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        if rows and "login" not in rows[0]:
            raise ValueError("the CSV author map needs a “login” column")
        return {row["login"].strip(): {k: (v or "").strip() for k, v in row.items() if k != "login"} for row in rows}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the JSON author map must be an object of login → author slug or {name, bio, author}")
    return {login: ({"author": value} if isinstance(value, str) else dict(value)) for login, value in data.items()}


def login_slug(login):
    """``bilal.ahmed`` → ``bilal-ahmed`` (slugify alone would join the parts)."""
    return slugify(re.sub(r"[._@]+", "-", login))[:90] or "author"


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


class Importer:
    def __init__(self, export: wxr.Export, options: Options, progress=None):
        self.export = export
        self.options = options
        self.progress = progress or (lambda done, total: None)
        self.report = Report(dry_run=options.dry_run)
        self.source = (export.site.base_site_url or export.site.link).rstrip("/")
        self.site_url = export.site.base_blog_url or export.site.link
        self.tz = (
            ZoneInfo(options.timezone)
            if options.timezone
            else export.inferred_timezone() or ZoneInfo(settings.TIME_ZONE)
        )
        self.records = {(record.kind, record.wp_id): record for record in ImportedObject.objects.from_site(self.source)}
        self.content_types = {
            model: ContentType.objects.get_for_model(model)
            for model in (Author, Category, Tag, Article, Page, Image, XtdComment)
        }
        self.article_type = self.content_types[Article]
        self.authors: dict[str, Author] = {}  # login → Author
        self.authors_by_id: dict[int, tuple[Author, str]] = {}  # WordPress user id → (Author, email)
        self.categories: dict[str, Category] = {}  # slug → Category
        self.tags: dict[str, Tag] = {}
        self.attachments = {item.post_id: item for item in export.items_of_type("attachment")}
        self.attachments_by_url = {}
        self.attachments_of = defaultdict(list)  # post_id → the attachments uploaded to it
        for item in self.attachments.values():
            self.attachments_of[item.post_parent].append(item)
        self.shortcode_attachments = {
            item.post_id: shortcodes.Attachment(item.post_id, item.attachment_url, item.title, item.image_alt)
            for item in self.attachments.values()
            if item.attachment_url
        }
        self.reusable_blocks = {item.post_id: item.content for item in export.items_of_type("wp_block")}
        for item in self.attachments.values():
            if item.attachment_url:
                self.attachments_by_url[content.SIZE_SUFFIX.sub("", item.attachment_url)] = item
        self.images: dict[int, Image | None] = {}  # attachment post_id → library image (None: missing)
        self.targets: dict[int, str] = {}  # post_id → the slug the item is imported under
        self.links: dict[str, str] = {}  # content.link_key(old URL) → new path
        self.max_depth = max_thread_level() + 1
        self.preloaded = {}  # model → {pk: object} of the posts and pages imported before
        self.conflicting = {}  # post_id → the existing object whose slug the item wants
        self.redirects = dict(Redirect.objects.filter(site_id=settings.SITE_ID).values_list("old_path", "new_path"))
        self.pending_redirects = []
        self.written = []  # (cache, key) noted in the current item's transaction: forgotten if it rolls back
        self.media = (
            media_source(options.media_from, max_bytes=settings.AUTHOR_PHOTO_MAX_BYTES) if options.media_from else None
        )

    # --- records -------------------------------------------------------------------------------------------

    def record(self, kind, wp_id):
        return self.records.get((kind, wp_id))

    def stored_object(self, record, model):
        if not record:
            return None
        if model in self.preloaded:
            return self.preloaded[model].get(record.object_id)
        return model._default_manager.filter(pk=record.object_id).first()

    def remember(self, kind, wp_id, obj, values=None):
        record = self.records.get((kind, wp_id)) or ImportedObject(source=self.source, kind=kind, wp_id=wp_id)
        record.content_type = self.content_types[type(obj)]
        record.object_id = obj.pk
        record.fingerprint = fingerprint(values) if values is not None else ""
        record.save()
        self.records[(kind, wp_id)] = record
        self.written.append((self.records, (kind, wp_id)))
        return record

    # --- the whole job -------------------------------------------------------------------------------------

    def run(self) -> Report:
        for skipped in self.export.skipped:
            self.report.skip(skipped.kind, f"{skipped.id} {skipped.title}".strip(), skipped.reason)
        if self.options.dry_run:
            with transaction.atomic():
                self._import_all()
                transaction.set_rollback(True)
        else:
            self._import_all()
            invalidate_site_pages()  # Once for the whole import, when it is committed.
        return self.report

    def _import_all(self):
        with transaction.atomic():
            self.import_authors()
            self.import_terms()
            self.save_redirects()
        self.plan_targets()
        items = [item for item in self.export.items if item.post_type in ("post", "page")]
        for item_type, count in Counter(item.post_type for item in self.export.items).items():
            if item_type not in ("post", "page", "attachment"):
                self.report.count(item_type, "skipped (not imported)", count)
        for done, item in enumerate(items, 1):
            self.import_item(item)
            self.progress(done, len(items))

    # --- authors -------------------------------------------------------------------------------------------

    def import_authors(self):
        mapping = self.options.author_map
        for wp_author in self.export.authors:
            entry = mapping.get(wp_author.login, {})
            name = (
                entry.get("name")
                or wp_author.display_name
                or f"{wp_author.first_name} {wp_author.last_name}".strip()
                or wp_author.login
            )[:100]
            author, outcome = None, "matched"
            if entry.get("author"):
                author = Author.objects.filter(slug=entry["author"]).first()
                if author is None:
                    self.report.skip("author", wp_author.login, f"--author-map names no author “{entry['author']}”")
            record = self.record(Kind.AUTHOR, wp_author.id) if wp_author.id else None
            if author is None and record:
                author = self.stored_object(record, Author)
                outcome = "unchanged"
            if author is None:
                author = Author.objects.filter(slug=self.author_slug(name, wp_author.login)).first()
            if author is None:
                author = Author(name=name, slug=self.free_slug(Author, self.author_slug(name, wp_author.login)))
                outcome = "created"
            if entry.get("bio") and not author.bio:
                author.bio = entry["bio"]
                outcome = "created" if outcome == "created" else "updated"
            if outcome in ("created", "updated"):
                author.save()
            if wp_author.id:
                self.remember(Kind.AUTHOR, wp_author.id, author)
                self.authors_by_id[wp_author.id] = (author, wp_author.email)
            self.authors[wp_author.login] = author
            self.report.count("author", outcome)
            if not author.bio:
                self.report.authors_without_bio.append(f"{wp_author.login} ({author.name})")

    @staticmethod
    def author_slug(name, login):
        return slugify(name)[:90] or login_slug(login)

    def author_for(self, login):
        if login in self.authors:
            return self.authors[login]
        author = Author.objects.filter(slug=login_slug(login)).first()
        if author is None:
            author = Author.objects.create(
                name=login[:100] or "WordPress", slug=self.free_slug(Author, login_slug(login))
            )
            self.report.count("author", "created")
            self.report.authors_without_bio.append(f"{login} ({author.name})")
        self.authors[login] = author
        return author

    # --- categories and tags ---------------------------------------------------------------------------------

    def import_terms(self):
        for wp_category in self.export.categories:  # parents come first in the file
            slug = self.term_slug(wp_category.slug, wp_category.name)
            record = self.record(Kind.CATEGORY, wp_category.term_id) if wp_category.term_id else None
            if record is not None:
                category, outcome = Category.objects.filter(pk=record.object_id).first(), "unchanged"
                if category is None:
                    self.categories[wp_category.slug] = None
                    self.report.skip("category", wp_category.slug, "deleted by an editor since the last import")
                    continue
            else:
                category, outcome = Category.objects.filter(slug=slug).first(), "matched"
            if category is None:
                parent = self.categories.get(wp_category.parent) if wp_category.parent else None
                if parent is not None and parent.depth() >= Category.MAX_DEPTH:
                    parent = None
                category = Category(name=wp_category.name[:100] or slug, slug=slug, parent=parent)
                category.description = html.unescape(wp_category.description)
                category.save()
                outcome = "created"
            self.categories[wp_category.slug] = category
            if wp_category.term_id:
                self.remember(Kind.CATEGORY, wp_category.term_id, category)
            self.report.count("category", outcome)
            path = permalinks.category_path(wp_category, self.export.categories)
            self.redirect(path, category.get_absolute_url())
            self.redirect(permalinks.feed_path(path), category.get_feed_url())
        for wp_tag in self.export.tags:
            tag = self.tag_for(wp_tag.slug, wp_tag.name, term_id=wp_tag.term_id)
            if tag is None:
                continue
            path = permalinks.tag_path(wp_tag)
            self.redirect(path, tag.get_absolute_url())
            self.redirect(permalinks.feed_path(path), tag.get_feed_url())

    @staticmethod
    def term_slug(slug, name):
        slug = unquote(slug or "")
        return (slug if SLUG.match(slug) else slugify(slug) or slugify(name) or "term")[:100]

    def tag_for(self, wp_slug, name, term_id=0):
        if wp_slug in self.tags:
            return self.tags[wp_slug]
        record = self.record(Kind.TAG, term_id) if term_id else None
        if record is not None:
            tag = Tag.objects.filter(pk=record.object_id).first()
            if tag is None:
                self.tags[wp_slug] = None
                self.report.skip("tag", wp_slug, "deleted by an editor since the last import")
                return None
            self.tags[wp_slug] = tag
            self.report.count("tag", "unchanged")
            return tag
        slug = self.term_slug(wp_slug, name)
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=(name or slug)[:100], slug=slug)
            self.report.count("tag", "created")
        else:
            self.report.count("tag", "matched")
        if term_id:
            self.remember(Kind.TAG, term_id, tag)
        self.tags[wp_slug] = tag
        return tag

    def category_for(self, term):
        if term.slug not in self.categories:
            slug = self.term_slug(term.slug, term.name)
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                category = Category.objects.create(name=(term.name or slug)[:100], slug=slug)
                self.report.count("category", "created")
            self.categories[term.slug] = category
        return self.categories[term.slug]

    # --- slugs and links -------------------------------------------------------------------------------------

    def plan_targets(self):
        """Decide each post's and page's slug before any body is converted, so links between them are rewritten."""
        taken = {Article: set(), Page: set()}
        existing_slugs = {model: set(model._default_manager.values_list("slug", flat=True)) for model in taken}
        for model, kind in ((Article, Kind.POST), (Page, Kind.PAGE)):
            ids = [record.object_id for (each, _), record in self.records.items() if each == kind]
            self.preloaded[model] = model._default_manager.in_bulk(ids)
        reserved = reserved_slugs()
        for item in self.export.items:
            if item.post_type not in ("post", "page") or item.status == "trash":
                continue
            model = Article if item.post_type == "post" else Page
            kind = Kind.POST if model is Article else Kind.PAGE
            record = self.record(kind, item.post_id)
            stored = self.stored_object(record, model)
            if stored is not None:
                self.targets[item.post_id] = stored.slug
                taken[model].add(stored.slug)
            else:
                slug = self.wanted_slug(item, model)
                existing = model._default_manager.filter(slug=slug).first() if slug in existing_slugs[model] else None
                if existing is not None or slug in taken[model] or (model is Page and slug in reserved):
                    self.conflicting[item.post_id] = existing
                    if (
                        existing is not None
                        and self.options.on_conflict == "replace-unedited"
                        and self.unedited(existing)
                    ):
                        pass  # imported into the existing object, under its slug
                    elif existing is not None and self.options.on_conflict == "skip":
                        self.targets[item.post_id] = slug  # links still go to the editor's object
                        continue
                    else:
                        unavailable = taken[model] | existing_slugs[model] | (reserved if model is Page else set())
                        slug = self.free_slug(model, slug, unavailable)
                self.targets[item.post_id] = slug
                taken[model].add(slug)
            path = (
                Article(slug=self.targets[item.post_id]).get_absolute_url()
                if model is Article
                else Page(slug=self.targets[item.post_id]).get_absolute_url()
            )
            for url in (item.link, item.guid):
                if url:
                    self.links[content.link_key(url, self.site_url)] = path

    def new_link(self, url):
        """The new path of an old URL to an imported post or page (a callable: the map is keyed once)."""
        return self.links.get(content.link_key(url, self.site_url))

    def wanted_slug(self, item, model):
        slug = unquote(item.slug or "")
        if not SLUG.match(slug):
            slug = slugify(slug) or slugify(item.title) or f"{item.post_type}-{item.post_id}"
        return slug[: model._meta.get_field("slug").max_length]

    @staticmethod
    def unedited(obj):
        """Whether an editor has not changed the object since it was made (one revision only)."""
        return obj.history.count() <= 1

    @staticmethod
    def free_slug(model, slug, taken=()):
        base, number, candidate = slug[:90] or "item", 1, slug or "item"
        while candidate in taken or model._default_manager.filter(slug=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def redirect(self, old_path, new_path):
        old_path = normal_path(old_path) if old_path else old_path
        if not old_path or not new_path or old_path == new_path or len(old_path) > 200:
            return
        existing = self.redirects.get(old_path)
        if existing is None:
            self.redirects[old_path] = new_path
            self.pending_redirects.append(Redirect(site_id=settings.SITE_ID, old_path=old_path, new_path=new_path))
        elif existing != new_path:
            self.report.conflicts.append(f"{old_path} already redirects to {existing}: left as it is")

    def save_redirects(self):
        """The redirects noted since the last call, in one INSERT (inside the item's transaction)."""
        Redirect.objects.bulk_create(self.pending_redirects)
        self.report.redirects += len(self.pending_redirects)
        self.pending_redirects = []

    def forget_redirects(self):
        for redirect in self.pending_redirects:
            self.redirects.pop(redirect.old_path, None)
        self.pending_redirects = []

    # --- posts and pages -------------------------------------------------------------------------------------

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

        Measured on the 1,000-post export: 90 s with a WAL flush per post, 72 s without. A crash may lose the
        last few posts' commits (never corrupt anything), and running the import again brings them in: it is
        re-runnable by design.
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
        published_at = item.date_utc(self.tz) or timezone.now()
        modified_at = item.modified_utc(self.tz) or published_at
        publication_day = timezone.localdate(published_at)
        updated_day = max(timezone.localdate(modified_at), publication_day)
        outcome = "created"
        replacing = self.conflicting_object(item, Article)
        if article is not None:
            outcome = "unchanged"
            if fingerprint(article_values(article)) != record.fingerprint:
                self.report.editor_changed.append(f"{label}: changed by an editor since the last import")
                self.report.count(Kind.POST, "kept editor's changes")
                self.import_comments(item, article)
                return
        elif replacing is not None:
            article = replacing
            outcome = "replaced"
        else:
            article = Article()
        featured = self.image_for_attachment(item.thumbnail_id) if item.thumbnail_id else None
        article.title = item.title[:200] or self.targets[item.post_id]
        article.slug = self.targets[item.post_id]
        body, teaser = self.convert_body(item)
        article.summary = html.unescape(BeautifulSoup(item.excerpt, "html.parser").get_text()).strip()[:300]
        if not article.summary and teaser is not None:
            # No excerpt: WordPress showed the teaser before <!--more--> on its front page and in its feeds.
            article.summary = shortcodes.teaser_text(teaser, 300)
        article.body = body or article.title
        article.status = Article.Status.PUBLISHED if self.is_public(item) else Article.Status.DRAFT
        article.published_at = published_at
        article.author = self.author_for(item.creator)
        article.allow_comments = item.comment_status == "open"
        article.featured_image = featured
        # Terms an editor deleted since the last import are None: left out.
        categories = [category for term in item.categories if (category := self.category_for(term))]
        tags = [tag for term in item.tags if (tag := self.tag_for(term.slug, term.name))]
        if outcome == "unchanged":
            new_values = article_values(article) | {
                "last_updated_on": max(updated_day, article.last_updated_on).isoformat(),
                "categories": sorted(category.pk for category in categories),
                "tags": sorted(tag.pk for tag in tags),
            }
            if fingerprint(new_values) == record.fingerprint:
                self.report.count(Kind.POST, "unchanged")
                self.import_comments(item, article)
                return
            outcome = "updated"
            article._change_reason = "Imported from WordPress"
            new_day = updated_day > article.last_updated_on
            article.last_updated_on = max(updated_day, article.last_updated_on)
            article.save()
            if new_day:
                article.updates.create(date=article.last_updated_on, note="Imported from WordPress")
        else:
            if outcome == "replaced":
                article.updates.all().delete()
            article.last_updated_on = updated_day
            article._change_reason = "Imported from WordPress"
            article.save()
            if outcome == "replaced":
                article.updates.create(date=updated_day)
            if updated_day != publication_day:
                # The history: the publication, then the last change made on WordPress.
                article.updates.update(date=publication_day)
                article.updates.create(date=updated_day, note="Imported from WordPress")
        category_ids = list(dict.fromkeys(category.pk for category in categories))
        tag_ids = list(dict.fromkeys(tag.pk for tag in tags))
        if outcome == "created":
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
        self.remember(Kind.POST, item.post_id, article, article_values(article, category_ids, tag_ids))
        self.report.count(Kind.POST, outcome)
        self.post_redirects(item, article.public_path(), article)
        self.import_comments(item, article, fresh=outcome == "created")

    @staticmethod
    def is_public(item):
        """Whether readers may see the item: published or scheduled, and not behind a password.

        WordPress shows a password-protected post's title to all and its text (excerpt and comments too) only
        after the password is given; here it is imported as a draft, so none of it is public until an editor
        publishes it. Private posts are drafts too.
        """
        return item.status in ("publish", "future") and not item.post_password

    def conflicting_object(self, item, model):
        existing = self.conflicting.get(item.post_id)
        if existing is None:
            return None
        label = f"{item.post_type} {item.post_id} “{item.title}”"
        if self.options.on_conflict == "replace-unedited" and self.unedited(existing):
            self.report.conflicts.append(f"{label}: replaced the unedited “{existing.slug}”")
            return existing
        why = "edited since it was made, so kept; " if self.options.on_conflict == "replace-unedited" else ""
        self.report.conflicts.append(
            f"{label}: “{existing.slug}” already exists ({why}kept); imported as “{self.targets[item.post_id]}”"
        )
        return None

    def post_redirects(self, item, new_path, article=None):
        """Every address WordPress answered with the item: its permalink, earlier slugs, their comment feeds, its
        plain ``?p=``/``?page_id=`` link (the feeds' guid), and its attachments' pages (``?attachment_id=`` too),
        which lead to the item as the attachments' images are shown in it. None for a post still scheduled: its
        redirects' Location would tell readers its address before it appears."""
        if not new_path or (article is not None and not article.is_published()):
            return
        old_paths = [item.link_path, *permalinks.old_slug_paths(item)]
        for path in filter(None, old_paths):
            self.redirect(path, new_path)
            if article is not None:
                self.redirect(permalinks.feed_path(path), reverse("comments_feed", kwargs={"slug": article.slug}))
        for path in permalinks.plain_paths(item):
            self.redirect(path, new_path)
        for attachment in self.attachments_of.get(item.post_id, []):
            for path in (attachment.link_path, *permalinks.plain_paths(attachment)):
                if path and path != item.link_path:
                    self.redirect(path, new_path)

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

    # --- media -----------------------------------------------------------------------------------------------

    def library_reference(self, image: content.Image):
        attachment = self.attachments.get(image.attachment_id) if image.attachment_id else None
        attachment = attachment or self.attachments_by_url.get(image.original_src)
        if attachment is None:
            library_image = self.image_for_url(image.original_src, image.alt, image.caption)
        else:
            library_image = self.image_for_attachment(attachment.post_id, alt=image.alt, caption=image.caption)
        if library_image is None:
            return None
        return f"\n\n{library_image.reference()}\n\n"

    def image_for_attachment(self, post_id, alt="", caption=""):
        if post_id in self.images:
            return self.images[post_id]
        attachment = self.attachments.get(post_id)
        record = self.record(Kind.ATTACHMENT, post_id)
        image = self.stored_object(record, Image)
        if record is not None and image is None:
            self.images[post_id] = None  # deleted by an editor: not fetched again
            return None
        if image is None and attachment is not None:
            image = self.fetch_image(
                attachment.attachment_url,
                alt=attachment.image_alt or alt or attachment.title,
                caption=attachment.excerpt or caption,
                relative=attachment.attached_file,
            )
            if image is not None:
                self.remember(Kind.ATTACHMENT, post_id, image)
        elif image is None:
            self.report.media_missing.append(f"attachment {post_id}: not in the export")
        self.images[post_id] = image
        self.written.append((self.images, post_id))
        return image

    def image_for_url(self, url, alt, caption):
        key = f"url:{url}"
        if key not in self.images:
            self.images[key] = self.fetch_image(url, alt=alt, caption=caption)
            self.written.append((self.images, key))
        return self.images[key]

    def fetch_image(self, url, *, alt, caption, relative=""):
        if not url or not urlsplit(url).path.lower().endswith(MEDIA_EXTENSIONS):
            self.report.media_missing.append(f"{url or relative}: not a JPEG, PNG, WebP or GIF image")
            return None
        if not self.options.media_from:
            self.report.media_missing.append(f"{url}: not fetched (no --media-from)")
            return None
        if self.options.dry_run:
            # Nothing is fetched: a local file is only looked for, an address only counted.
            if not self.media.remote:
                try:
                    self.media.path_for(url, relative)
                except (OSError, ValueError) as error:
                    self.report.media_missing.append(f"{url}: {error}")
                    return None
            self.report.media_fetched += 1
            return None
        try:
            data = self.media.read(url, relative)
        except (OSError, ValueError) as error:
            self.report.media_missing.append(f"{url}: {error}")
            return None
        name = Path(urlsplit(url).path).name
        caption_text = BeautifulSoup(caption or "", "html.parser").get_text(" ", strip=True)
        image = Image(
            file=ContentFile(data, name=name),
            alt_text=(alt or Path(name).stem)[:250],
            caption=caption_text[:300],
        )
        try:
            image.full_clean()
            with transaction.atomic():
                image.save()
        except (ValidationError, OSError, ValueError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.report.media_missing.append(f"{url}: {message}")
            return None
        self.report.media_fetched += 1
        return image

    # --- comments --------------------------------------------------------------------------------------------

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


def import_export(export: wxr.Export, options: Options, progress=None) -> Report:
    return Importer(export, options, progress).run()
