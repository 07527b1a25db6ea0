"""What a static page's change does: its old address redirects, and the cached public pages showing it are
invalidated (config.cachetags)."""

from django.db.models.signals import post_delete, post_save, pre_save

from blog.redirects import follow_path_changes
from config.cachetags import SITE, invalidate, list_tag, object_tag

from .models import Page


def in_footer(page):
    return page.status == Page.Status.PUBLISHED and page.menu_order is not None


def remember_footer_place(sender, instance, raw=False, **kwargs):
    """Whether the page was in every page's footer before this save (read from the database)."""
    if not raw and instance.pk is not None:
        before = Page.objects.filter(pk=instance.pk).only("status", "menu_order").first()
        instance._was_in_footer = before is not None and in_footer(before)


def page_changed(sender, instance, **kwargs):
    """The page itself, the sitemap, and every page if the footer lists it (or did)."""
    tags = [object_tag(instance), list_tag(Page)]
    if in_footer(instance) or getattr(instance, "_was_in_footer", False):
        tags.append(SITE)
    invalidate(*tags)


def connect():
    follow_path_changes(Page)
    pre_save.connect(remember_footer_place, sender=Page, dispatch_uid="pages-footer-place")
    for signal in (post_save, post_delete):
        signal.connect(page_changed, sender=Page, dispatch_uid="pages-changed-Page")
