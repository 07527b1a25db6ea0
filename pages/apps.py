from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from blog.redirects import follow_path_changes
        from blog.sitemaps import SITEMAPS

        from .models import Page
        from .sitemaps import PageSitemap

        follow_path_changes(Page)
        SITEMAPS["pages"] = PageSitemap  # The site's one sitemap.xml (blog.urls) lists the pages too.
