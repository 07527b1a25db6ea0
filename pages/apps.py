from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from blog.sitemaps import SITEMAP_TAGS, SITEMAPS
        from config.cachetags import list_tag

        from . import receivers
        from .models import Page
        from .sitemaps import PageSitemap

        receivers.connect()
        SITEMAPS["pages"] = PageSitemap  # The site's one sitemap.xml (blog.urls) lists the pages too.
        SITEMAP_TAGS.append(list_tag(Page))
