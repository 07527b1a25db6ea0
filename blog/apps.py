from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from . import caching, checks  # noqa: F401 (checks registers the deploy check)

        caching.connect_receivers()
