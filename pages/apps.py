from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from blog.receivers import public_pages_changed
        from blog.redirects import follow_path_changes
        from blog.sitemaps import SITEMAPS

        from .models import Page
        from .sitemaps import PageSitemap

        follow_path_changes(Page)
        for signal in (post_save, post_delete):
            signal.connect(public_pages_changed, sender=Page, dispatch_uid="pages-changed-Page")
        SITEMAPS["pages"] = PageSitemap  # The site's one sitemap.xml (blog.urls) lists the pages too.
