from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from django.contrib.sites.models import Site
        from django.db.models.signals import post_delete, post_save

        from authors.models import Author

        from . import checks, receivers  # noqa: F401 (checks registers the deploy check)
        from .models import Article, ArticleUpdate
        from .signals import site_pages_changed

        # What public pages show; the comments app connects its own models.
        for sender in (Article, ArticleUpdate, Author, Site):
            for signal in (post_save, post_delete):
                signal.connect(site_pages_changed, sender=sender, dispatch_uid=f"pagecache.{sender.__name__}")
        receivers.connect()
