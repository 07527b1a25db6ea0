"""Read a WordPress eXtended RSS (WXR) export into plain dataclasses.

WordPress writes the file in Tools → Export (wp-admin/includes/export.php): an RSS 2.0 ``<channel>``
with the site (title, link, language, ``wp:wxr_version``, ``wp:base_site_url``, ``wp:base_blog_url``),
then ``wp:author``, ``wp:category`` (parents before children), ``wp:tag`` and ``wp:term`` elements, then
one ``<item>`` per post, page, attachment or other post type, each with its ``wp:postmeta`` and
``wp:comment`` elements. WXR 1.1 and 1.2 differ only in the namespace URI (and 1.2's newer exporters
wrap more values in CDATA), so both read the same way.

The XML is parsed by defusedxml: a file that declares entities (the "billion laughs") or refers to
external ones is refused, and nothing is fetched. ``parse()`` reads the whole file before it returns,
so a truncated or broken export raises ``WXRError`` before the importer changes anything; items are
streamed (iterparse) and cleared as they are read, so a large export never sits in memory whole.
An item whose ids or dates cannot be read is skipped and listed in ``Export.skipped``.

Dates: ``post_date`` and ``comment_date`` are the site's local time without a zone; the ``_gmt``
dates are UTC, or "0000-00-00 00:00:00" when WordPress never set them (drafts, and some imported
content), read here as None. ``resolve_date()`` turns a local date into a moment given a timezone;
the export does not say the site's timezone, so ``Export.inferred_timezone()`` reads the offset that
the export's own dated items show.

What the importer makes of each part is said where it does it (``wordpress.importer`` names the modules).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

SUPPORTED_VERSIONS = ("1.1", "1.2")
WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
ZERO_DATE = "0000-00-00 00:00:00"
_DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
# Expat's codes for a document that stops before its root element is closed.
_ENDS_EARLY = {3, 5}  # XML_ERROR_NO_ELEMENTS, XML_ERROR_UNCLOSED_TOKEN


class WXRError(ValueError):
    """The file is not a WordPress export this module can read; the message names the problem."""


@dataclass(frozen=True)
class Site:
    title: str
    link: str
    description: str
    language: str
    wxr_version: str
    base_site_url: str
    base_blog_url: str


@dataclass(frozen=True)
class Author:
    id: int  # 0 if the file has no wp:author_id
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Category:
    term_id: int  # 0 if the file has none; the slug is unique too
    slug: str  # wp:category_nicename
    parent: str  # the parent's slug, "" at the top
    name: str
    description: str


@dataclass(frozen=True)
class Tag:
    term_id: int
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Term:
    """A term of another taxonomy (nav_menu, post_format, a plugin's)."""

    term_id: int
    taxonomy: str
    slug: str
    parent: str
    name: str
    description: str


@dataclass(frozen=True)
class ItemTerm:
    """An item's ``<category domain="…" nicename="…">Name</category>``."""

    domain: str  # "category", "post_tag", "post_format", …
    slug: str
    name: str


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    email: str
    url: str
    ip: str
    date: datetime | None  # local, naive
    date_gmt: datetime | None  # aware UTC, None when WordPress wrote zeros
    content: str
    approved: str  # "1", "0", "spam", "trash", "post-trashed"
    type: str  # "", "comment", "pingback", "trackback", or a plugin's
    parent: int  # 0 for a top-level comment
    user_id: int  # 0 for a visitor
    meta: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_ping(self):
        return self.type in ("pingback", "trackback")

    def date_utc(self, tz):
        return resolve_date(self.date, self.date_gmt, tz)


@dataclass
class Item:
    post_id: int
    post_type: str
    title: str
    link: str
    guid: str
    slug: str  # wp:post_name
    status: str  # publish, future, draft, pending, private, trash, inherit
    post_date: datetime | None
    post_date_gmt: datetime | None
    post_modified: datetime | None
    post_modified_gmt: datetime | None
    creator: str
    content: str
    excerpt: str
    post_parent: int
    menu_order: int
    post_password: str
    is_sticky: bool
    comment_status: str  # open, closed
    ping_status: str
    attachment_url: str
    terms: list[ItemTerm] = field(default_factory=list)
    postmeta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    @property
    def categories(self):
        return [term for term in self.terms if term.domain == "category"]

    @property
    def tags(self):
        return [term for term in self.terms if term.domain == "post_tag"]

    def meta(self, key, default=""):
        """The first value of a postmeta key."""
        values = self.postmeta.get(key)
        return values[0] if values else default

    @property
    def thumbnail_id(self):
        """The post_id of the featured image's attachment item, or None."""
        value = self.meta("_thumbnail_id").strip()
        return int(value) if value.isdigit() and int(value) else None

    @property
    def old_slugs(self):
        return [slug for slug in self.postmeta.get("_wp_old_slug", []) if slug and slug != self.slug]

    @property
    def image_alt(self):
        return self.meta("_wp_attachment_image_alt")

    @property
    def attached_file(self):
        """The attachment's path under wp-content/uploads, e.g. "2016/08/phone.jpg"."""
        return self.meta("_wp_attached_file")

    @property
    def link_path(self):
        """The permalink's path ("/2016/08/04/slug/"), or "" for a plain ``?p=`` link."""
        parts = urlsplit(self.link)
        return parts.path if parts.path not in ("", "/") else ""

    def date_utc(self, tz):
        return resolve_date(self.post_date, self.post_date_gmt, tz)

    def modified_utc(self, tz):
        return resolve_date(self.post_modified, self.post_modified_gmt, tz)


@dataclass(frozen=True)
class Skipped:
    """Something the parser could not read (an unreadable id or date); the rest of the file is still read."""

    kind: str  # "item", "comment", "author", "category", "tag", "term"
    id: str  # as written in the file
    title: str  # the item's title (for a comment: its item's)
    reason: str


@dataclass
class Export:
    site: Site
    authors: list[Author] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def items_of_type(self, post_type):
        return [item for item in self.items if item.post_type == post_type]

    def inferred_timezone(self):
        """The site's UTC offset, as the most common gap between an item's local and GMT dates; None if none says.

        A fixed offset: around a daylight-saving change it may be an hour off, which is why the
        importer takes ``--timezone`` (an IANA name) to override it.
        """
        offsets = Counter()
        for item in self.items:
            if item.post_date and item.post_date_gmt:
                gap = item.post_date - item.post_date_gmt.replace(tzinfo=None)
                offsets[timedelta(minutes=round(gap.total_seconds() / 60))] += 1
        if not offsets:
            return None
        offset = offsets.most_common(1)[0][0]
        return UTC if not offset else timezone(offset)


def resolve_date(local: datetime | None, gmt: datetime | None, tz: tzinfo) -> datetime | None:
    """The moment a WordPress date stands for: its GMT date if there is one, else the local date read in ``tz``."""
    if gmt is not None:
        return gmt
    if local is None:
        return None
    return local.replace(tzinfo=tz).astimezone(UTC)


def parse(source: str | Path | IO[bytes]) -> Export:
    """Read a whole WXR file (a path or a binary file object); raises WXRError if it is not one."""
    export = None
    for record in iter_records(source):
        if isinstance(record, Site):
            export = Export(site=record)
        elif isinstance(record, Author):
            export.authors.append(record)
        elif isinstance(record, Category):
            export.categories.append(record)
        elif isinstance(record, Tag):
            export.tags.append(record)
        elif isinstance(record, Term):
            export.terms.append(record)
        elif isinstance(record, Item):
            export.items.append(record)
        else:
            export.skipped.append(record)
    return export


def iter_records(source):
    """Yield the Site, then Authors, Categories, Tags, Terms and Items (or Skipped) in file order.

    A WXRError can come after some records have been yielded (a truncated file): use ``parse()``
    to validate the whole file before acting on it.
    """
    try:
        yield from _Reader().read(source)
    except DefusedXmlException as error:
        raise WXRError(
            f"The file declares XML entities or a DTD ({type(error).__name__}); a WordPress export never does, "
            "so it is refused for safety."
        ) from error
    except OSError as error:
        raise WXRError(f"Cannot read the file: {error.strerror or error}.") from error


class _Reader:
    def __init__(self):
        self.namespaces = {}
        self.root_seen = False

    def read(self, source):
        header = {}
        site_sent = False
        try:
            for elem in self._channel_children(source):
                records = self._channel_child(elem, header)
                if records and not site_sent:
                    # The channel's own elements come before its authors, terms and items.
                    yield self._site(header)
                    site_sent = True
                yield from records
            if not site_sent:
                yield self._site(header)
        except ParseError as error:
            raise self._parse_error(error, source) from error

    def _channel_children(self, source):
        """Yield each child of the channel once it is read whole, then clear it from memory."""
        depth = 0
        channel = None
        for event, elem in iterparse(source, events=("start-ns", "start", "end")):
            if event == "start-ns":
                self.namespaces[elem[0]] = elem[1]
            elif event == "start":
                depth += 1
                if depth == 1:
                    self._check_root(elem)
                elif depth == 2 and elem.tag == "channel":
                    channel = elem
            else:
                depth -= 1
                if depth == 2 and channel is not None:
                    yield elem
                    channel.clear()
        if channel is None:
            raise WXRError("Not a WordPress export: the RSS file has no <channel>.")

    def _check_root(self, elem):
        self.root_seen = True
        if elem.tag != "rss":
            name = elem.tag.rsplit("}", 1)[-1]
            if name.lower() == "html":
                raise WXRError("Not a WordPress export: the file is a web page (HTML), not the export file.")
            raise WXRError(f"Not a WordPress export: the file is <{name}>, not an RSS (<rss>) document.")
        uris = [uri for uri in self.namespaces.values() if WXR_NAMESPACE.match(uri)]
        if not uris:
            raise WXRError(
                "Not a WordPress export: an RSS feed without the WordPress export namespace "
                '(xmlns:wp="http://wordpress.org/export/1.2/"). Export the site in WordPress\'s Tools → Export.'
            )
        version = WXR_NAMESPACE.match(uris[0]).group(1)
        if version not in SUPPORTED_VERSIONS:
            raise WXRError(
                f"WXR {version} is not supported (WXR {' and '.join(SUPPORTED_VERSIONS)} are); "
                "export the site again from a current WordPress."
            )
        self.wp = f"{{{uris[0]}}}"
        self.excerpt = f"{{{uris[0]}excerpt/}}"

    def _parse_error(self, error, source):
        line, column = error.position
        reason = re.sub(r": line \d+, column \d+$", "", str(error))
        if not self.root_seen:
            if error.code == 3 and line == 1 and column == 0:
                return WXRError("The file is empty.")
            if _starts_like_html(source):
                return WXRError("Not a WordPress export: the file is a web page (HTML), not the export file.")
            return WXRError(f"Not an XML file: {reason} at line {line}, column {column}.")
        if error.code in _ENDS_EARLY:
            return WXRError(
                f"The export ends early at line {line}, column {column}: the file is truncated. "
                "Download or copy it again."
            )
        return WXRError(f"The export is not well-formed XML at line {line}, column {column}: {reason}.")

    def _site(self, header):
        wp = self.wp
        if not header.get(wp + "wxr_version"):
            raise WXRError("Not a WordPress export: the channel has no <wp:wxr_version>.")
        return Site(
            title=header.get("title", ""),
            link=header.get("link", ""),
            description=header.get("description", ""),
            language=header.get("language", ""),
            wxr_version=header[wp + "wxr_version"],
            base_site_url=header.get(wp + "base_site_url", ""),
            base_blog_url=header.get(wp + "base_blog_url", ""),
        )

    def _channel_child(self, elem, header):
        wp = self.wp
        tag = elem.tag
        if tag == "item":
            return self._item(elem)
        readers = {
            wp + "author": self._author,
            wp + "category": self._category,
            wp + "tag": self._tag,
            wp + "term": self._term,
        }
        if tag in readers:
            try:
                return [readers[tag](elem)]
            except ValueError as error:
                kind = tag.rsplit("}", 1)[-1]
                ident = _text(elem, wp + ("author_id" if kind == "author" else "term_id"))
                return [Skipped(kind=kind, id=ident.strip(), title="", reason=str(error))]
        header.setdefault(tag, (elem.text or "").strip())
        return []

    def _author(self, elem):
        wp = self.wp
        return Author(
            id=_int(_text(elem, wp + "author_id") or "0"),
            login=_text(elem, wp + "author_login").strip(),
            email=_text(elem, wp + "author_email").strip(),
            display_name=_text(elem, wp + "author_display_name"),
            first_name=_text(elem, wp + "author_first_name"),
            last_name=_text(elem, wp + "author_last_name"),
        )

    def _category(self, elem):
        wp = self.wp
        return Category(
            term_id=_int(_text(elem, wp + "term_id") or "0"),
            slug=_text(elem, wp + "category_nicename").strip(),
            parent=_text(elem, wp + "category_parent").strip(),
            name=_text(elem, wp + "cat_name"),
            description=_text(elem, wp + "category_description"),
        )

    def _tag(self, elem):
        wp = self.wp
        return Tag(
            term_id=_int(_text(elem, wp + "term_id") or "0"),
            slug=_text(elem, wp + "tag_slug").strip(),
            name=_text(elem, wp + "tag_name"),
            description=_text(elem, wp + "tag_description"),
        )

    def _term(self, elem):
        wp = self.wp
        return Term(
            term_id=_int(_text(elem, wp + "term_id") or "0"),
            taxonomy=_text(elem, wp + "term_taxonomy").strip(),
            slug=_text(elem, wp + "term_slug").strip(),
            parent=_text(elem, wp + "term_parent").strip(),
            name=_text(elem, wp + "term_name"),
            description=_text(elem, wp + "term_description"),
        )

    def _item(self, elem):
        """The Item and any Skipped comments, or a Skipped item."""
        wp = self.wp
        fields = {}
        terms = []
        postmeta = {}
        comment_elems = []
        for child in elem:
            tag = child.tag
            if tag == "category":
                terms.append(
                    ItemTerm(domain=child.get("domain", ""), slug=child.get("nicename", ""), name=child.text or "")
                )
            elif tag == wp + "postmeta":
                _add_meta(postmeta, child, wp)
            elif tag == wp + "comment":
                comment_elems.append(child)
            else:
                fields[tag] = child.text or ""
        post_id = fields.get(wp + "post_id", "").strip()
        title = fields.get("title", "")
        comments = []
        skipped = []
        for comment_elem in comment_elems:
            try:
                comments.append(self._comment(comment_elem))
            except ValueError as error:
                ident = _text(comment_elem, wp + "comment_id").strip()
                skipped.append(Skipped(kind="comment", id=ident, title=title, reason=str(error)))
        try:
            item = Item(
                post_id=_int(post_id),
                post_type=fields.get(wp + "post_type", "").strip(),
                title=title,
                link=fields.get("link", "").strip(),
                guid=fields.get("guid", "").strip(),
                slug=fields.get(wp + "post_name", "").strip(),
                status=fields.get(wp + "status", "").strip(),
                post_date=_local_date(fields.get(wp + "post_date")),
                post_date_gmt=_gmt_date(fields.get(wp + "post_date_gmt")),
                post_modified=_local_date(fields.get(wp + "post_modified")),
                post_modified_gmt=_gmt_date(fields.get(wp + "post_modified_gmt")),
                creator=fields.get(f"{{{DC_NS}}}creator", "").strip(),
                content=fields.get(f"{{{CONTENT_NS}}}encoded", ""),
                excerpt=fields.get(self.excerpt + "encoded", ""),
                post_parent=_int(fields.get(wp + "post_parent") or "0"),
                menu_order=_int(fields.get(wp + "menu_order") or "0", signed=True),
                post_password=fields.get(wp + "post_password", ""),
                is_sticky=fields.get(wp + "is_sticky", "0").strip() == "1",
                comment_status=fields.get(wp + "comment_status", "").strip(),
                ping_status=fields.get(wp + "ping_status", "").strip(),
                attachment_url=fields.get(wp + "attachment_url", "").strip(),
                terms=terms,
                postmeta=postmeta,
                comments=comments,
            )
        except ValueError as error:
            return [Skipped(kind="item", id=post_id, title=title, reason=str(error))]
        return [item, *skipped]

    def _comment(self, elem):
        wp = self.wp
        fields = {}
        meta = {}
        for child in elem:
            if child.tag == wp + "commentmeta":
                _add_meta(meta, child, wp)
            else:
                fields[child.tag] = child.text or ""
        return Comment(
            id=_int(fields.get(wp + "comment_id")),
            author=fields.get(wp + "comment_author", ""),
            email=fields.get(wp + "comment_author_email", "").strip(),
            url=fields.get(wp + "comment_author_url", "").strip(),
            ip=fields.get(wp + "comment_author_IP", "").strip(),
            date=_local_date(fields.get(wp + "comment_date")),
            date_gmt=_gmt_date(fields.get(wp + "comment_date_gmt")),
            content=fields.get(wp + "comment_content", ""),
            approved=fields.get(wp + "comment_approved", "").strip(),
            type=fields.get(wp + "comment_type", "").strip(),
            parent=_int(fields.get(wp + "comment_parent") or "0"),
            user_id=_int(fields.get(wp + "comment_user_id") or "0"),
            meta=meta,
        )


def _starts_like_html(source):
    """Whether the file begins as a web page does (read again only to word an error)."""
    try:
        if isinstance(source, str | Path):
            with open(source, "rb") as file:
                start = file.read(1024)
        else:
            source.seek(0)
            start = source.read(1024)
    except (OSError, AttributeError, ValueError):
        return False
    return re.match(rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype html|html)\b", start, re.I) is not None


def _text(elem: Element, tag: str) -> str:
    return elem.findtext(tag) or ""


def _add_meta(meta, elem, wp):
    key = _text(elem, wp + "meta_key").strip()
    meta.setdefault(key, []).append(_text(elem, wp + "meta_value"))


def _int(text, signed=False):
    text = (text or "").strip()
    digits = text[1:] if signed and text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"{text!r} is not a number")
    return int(text)


def _local_date(text):
    """A WordPress date without a zone ("2016-08-04 09:30:00"), None when empty or zero."""
    text = (text or "").strip()
    if not text or text == ZERO_DATE:
        return None
    if _DATE.fullmatch(text):
        try:
            return datetime.fromisoformat(text)  # what strptime() would return, several times faster
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a WordPress date")


def _gmt_date(text):
    date = _local_date(text)
    return date.replace(tzinfo=UTC) if date else None
