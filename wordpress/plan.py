"""The plan, made before any body is converted: each post's and page's slug, the conflicts with objects the
site already has, and the map of old links to new paths (so links between imported posts are rewritten)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.utils.text import slugify

from blog.models import Article
from pages.models import Page, reserved_slugs

from . import content
from .models import ImportedObject

Kind = ImportedObject.Kind
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class PlanMixin:
    """The Importer's plan: ``self.targets`` (post_id → slug), ``self.conflicting`` and ``self.links``."""

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
