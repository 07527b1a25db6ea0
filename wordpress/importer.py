"""Import a parsed WordPress export (wordpress.wxr) into the blog: authors, categories, tags, posts, pages,
media, comments and redirects from the old addresses. ``import_export()`` is the whole job; the
``import_wordpress`` command only reads its options and prints the report.

The ``Importer`` here holds the run's state and its order of work; each part of the job is a module of its own:
``terms`` (authors, categories, tags), ``plan`` (slugs, conflicts, the link map), ``posts`` (posts and pages),
``attachments`` (library images; ``media`` reads the files), ``comments`` (statuses, threads, bulk INSERTs),
``redirects`` (the old addresses) and ``report``. Content conversion is ``content`` and ``shortcodes``.

Re-runs: every object made is recorded as an ImportedObject under its WordPress id with a fingerprint of
the values written. A later run updates an object only while its values still give that fingerprint (no
editor touched it), reports it otherwise, and never recreates an object whose record outlives it (an
editor deleted it). Comments are only ever added: a comment already imported, or deleted since, is left.

Transactions: each post or page, with its comments, media and redirects, is imported in its own
transaction; one that fails is rolled back, reported and skipped. ``dry_run`` runs the same code inside an
outer transaction that is rolled back (media is then only looked for, not stored).

Speed: comments go in with two bulk INSERTs per post (``comments.bulk.add_comments``), the totals are counted
once per article, and the public pages are invalidated once at the end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django_comments_xtd.models import XtdComment

from authors.models import Author
from blog.models import Article, Category, Tag
from comments.queries import max_thread_level
from config.cachetags import invalidate_site_pages
from images.models import Image
from pages.models import Page

from . import content, shortcodes, wxr
from .attachments import AttachmentsMixin
from .comments import CommentsMixin
from .media import media_source
from .models import ImportedObject
from .plan import PlanMixin
from .posts import PostsMixin, fingerprint
from .redirects import RedirectsMixin
from .report import Report
from .terms import TermsMixin, read_author_map

Kind = ImportedObject.Kind
CONFLICT_CHOICES = ("skip", "rename", "replace-unedited")
PINGBACK_CHOICES = ("skip", "store")
__all__ = ["CONFLICT_CHOICES", "PINGBACK_CHOICES", "Importer", "Options", "Report", "import_export", "read_author_map"]


@dataclass
class Options:
    dry_run: bool = False
    media_from: str = ""
    author_map: dict[str, dict] = field(default_factory=dict)
    on_conflict: str = "rename"
    pingbacks: str = "skip"
    timezone: str = ""
    link_accounts: bool = False


class Importer(TermsMixin, PlanMixin, PostsMixin, AttachmentsMixin, CommentsMixin, RedirectsMixin):
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
        self.media_files: dict[str, str | None] = {}  # audio or video URL on the old site → its URL here
        self.targets: dict[int, str] = {}  # post_id → the slug the item is imported under
        self.links: dict[str, str] = {}  # content.link_key(old URL) → new path
        self.max_depth = max_thread_level() + 1
        self.preloaded = {}  # model → {pk: object} of the posts and pages imported before
        self.conflicting = {}  # post_id → the existing object whose slug the item wants
        self.redirects = dict(Redirect.objects.filter(site_id=settings.SITE_ID).values_list("old_path", "new_path"))
        self.pending_redirects = []
        self.written = []  # (cache, key) noted in the current item's transaction: forgotten if it rolls back
        self.media = (
            media_source(options.media_from, max_bytes=settings.IMAGE_LIBRARY_MAX_BYTES) if options.media_from else None
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
            if item_type == "wp_block":
                self.report.count(item_type, "expanded where used (not imported on their own)", count)
            elif item_type not in ("post", "page", "attachment"):
                self.report.count(item_type, "skipped (not imported)", count)
        for done, item in enumerate(items, 1):
            self.import_item(item)
            self.progress(done, len(items))


def import_export(export: wxr.Export, options: Options, progress=None) -> Report:
    return Importer(export, options, progress).run()
