"""The paths a WordPress site answered at, for the importer's permanent redirects.

The export gives each item's permalink (``<link>``) but not its terms' links, so category and tag
paths are built the way WordPress builds them by default: ``/category/<parent>/<child>/`` and
``/tag/<slug>/``. A site that changed its category or tag base (Settings → Permalinks) passes its own.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.utils.text import slugify


def old_slug_paths(item) -> list[str]:
    """Paths the item answered at under its earlier slugs (``_wp_old_slug``), newest permalink structure kept.

    WordPress redirects an old slug to the post wherever the slug stands in the permalink, so each
    old slug takes the current slug's place in the path. A permalink without the slug (``?p=ID``)
    gives none.
    """
    path = item.link_path
    segments = path.split("/")
    slug = quote(item.slug, safe="%") if item.slug else ""
    if not slug or slug not in segments:
        return []
    index = len(segments) - 1 - segments[::-1].index(slug)
    paths = []
    for old in item.old_slugs:
        old_path = "/".join([*segments[:index], quote(old, safe="%"), *segments[index + 1 :]])
        if old_path != path and old_path not in paths:
            paths.append(old_path)
    return paths


def category_path(category, categories, *, base: str = "category") -> str:
    """``/category/news/mobile/`` for "mobile" under "news"; ``categories`` are the export's, for the parents."""
    by_slug = {each.slug: each for each in categories}
    slugs = [category.slug]
    parent = category.parent
    while parent and parent in by_slug and parent not in slugs:
        slugs.insert(0, parent)
        parent = by_slug[parent].parent
    return "/" + "/".join(quote(part.strip("/"), safe="%") for part in [base, *slugs]) + "/"


def tag_path(tag, *, base: str = "tag") -> str:
    return f"/{quote(base.strip('/'), safe='%')}/{quote(tag.slug, safe='%')}/"


def feed_path(path: str = "/") -> str:
    """The feed WordPress serves under a path: ``/feed/`` for the site, ``<permalink>feed/`` for a post or term."""
    return path.rstrip("/") + "/feed/"


def plain_paths(item) -> list[str]:
    """The item's "plain" permalinks, which WordPress answers whatever the permalink structure: ``/?p=ID`` for any
    item, ``/?page_id=ID`` for a page, ``/?attachment_id=ID`` for an attachment."""
    paths = [f"/?p={item.post_id}"]
    if item.post_type == "page":
        paths.append(f"/?page_id={item.post_id}")
    elif item.post_type == "attachment":
        paths.append(f"/?attachment_id={item.post_id}")
    return paths


def author_path(login: str) -> str:
    """``/author/<user_nicename>/``: WordPress makes the nicename from the login as sanitize_title() does (lower
    case, dots and other punctuation as hyphens); the export does not carry it."""
    return f"/author/{slugify(re.sub(r'[._@]+', '-', login)) or 'author'}/"
