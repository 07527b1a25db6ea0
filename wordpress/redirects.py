"""The old site's addresses, each a permanent redirect to the object imported from it (blog.redirects answers
them). Noted as the items are imported, written in one INSERT with each item's transaction."""

from __future__ import annotations

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from blog.redirects import normal_path

from . import permalinks


class RedirectsMixin:
    """The Importer's redirects: ``self.redirects`` (every stored old path) and those pending in the current item."""

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
