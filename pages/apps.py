from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from blog.redirects import follow_path_changes
        from blog.sitemaps import SITEMAP_TAGS, SITEMAPS
        from config.cachetags import list_tag

        from .models import Page
        from .receivers import page_changed, remember_footer_place
        from .sitemaps import PageSitemap

        follow_path_changes(Page)
        pre_save.connect(remember_footer_place, sender=Page, dispatch_uid="pages-footer-place")
        for signal in (post_save, post_delete):
            signal.connect(page_changed, sender=Page, dispatch_uid="pages-changed-Page")
        SITEMAPS["pages"] = PageSitemap  # The site's one sitemap.xml (blog.urls) lists the pages too.
        SITEMAP_TAGS.append(list_tag(Page))
