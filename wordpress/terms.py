"""Authors, categories and tags: matched to those the site has, else made; ``--author-map`` read here."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import slugify

from authors.models import Author
from blog.models import Category, Tag

from . import permalinks
from .models import ImportedObject

Kind = ImportedObject.Kind
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


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


class TermsMixin:
    """The Importer's authors, categories and tags (``self.authors``, ``self.categories``, ``self.tags``), with
    the redirects from the terms' old archive and feed paths."""

    def import_authors(self):
        for wp_author in self.export.authors:
            entry = self.options.author_map.get(wp_author.login, {})
            author, outcome = self.match_author(wp_author, entry)
            if entry.get("bio") and not author.bio:
                author.bio = entry["bio"]
                outcome = "created" if outcome == "created" else "updated"
            if outcome in ("created", "updated"):
                author.save()
            self.add_author(wp_author, author, outcome)

    def match_author(self, wp_author, entry):
        """The author a WordPress author is imported as, and how: the one ``--author-map`` names, the one imported
        before, one with the same slug, else a new one (unsaved); returns it and the outcome to count."""
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
        return author, outcome

    def add_author(self, wp_author, author, outcome):
        """Remember the author for the posts, count it, and redirect the old author archive and feed to it."""
        if self.options.link_accounts:
            self.link_account(author, wp_author)
        if wp_author.id:
            self.remember(Kind.AUTHOR, wp_author.id, author)
            self.authors_by_id[wp_author.id] = (author, wp_author.email)
        self.authors[wp_author.login] = author
        self.report.count("author", outcome)
        old_path = permalinks.author_path(wp_author.login)
        self.redirect(old_path, author.get_absolute_url())
        self.redirect(permalinks.feed_path(old_path), reverse("blog:author_feed", kwargs={"slug": author.slug}))
        if not author.bio:
            self.report.authors_without_bio.append(f"{wp_author.login} ({author.name})")

    def link_account(self, author, wp_author):
        """``--link-accounts``: the author profile is linked to the one active account with the WordPress user's
        email (compared without case), unless it has an account already or that account writes as another."""
        if author.user_id is not None:
            return
        accounts = list(get_user_model().objects.filter(email__iexact=wp_author.email, is_active=True)[:2])
        if not wp_author.email or not accounts:
            self.report.skip("account link", wp_author.login, "no account with the same email")
        elif len(accounts) > 1:
            self.report.skip("account link", wp_author.login, f"several accounts have the email {wp_author.email}")
        elif Author.objects.filter(user=accounts[0]).exists():
            self.report.skip("account link", wp_author.login, f"{accounts[0]} writes as another author already")
        else:
            author.user = accounts[0]
            author.save(update_fields=["user"])
            self.report.count("account link", "made")

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
            tag = self.tag_for(wp_tag.slug, wp_tag.name, term_id=wp_tag.term_id, description=wp_tag.description)
            if tag is None:
                continue
            path = permalinks.tag_path(wp_tag)
            self.redirect(path, tag.get_absolute_url())
            self.redirect(permalinks.feed_path(path), tag.get_feed_url())

    @staticmethod
    def term_slug(slug, name):
        slug = unquote(slug or "")
        return (slug if SLUG.match(slug) else slugify(slug) or slugify(name) or "term")[:100]

    def tag_for(self, wp_slug, name, term_id=0, description=""):
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
            tag = Tag.objects.create(name=(name or slug)[:100], slug=slug, description=html.unescape(description))
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
