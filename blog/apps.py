from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from . import checks, receivers  # noqa: F401 (checks registers the deploy check)

        # What public pages show, and what the content model does when it changes; the comments and pages
        # apps connect their own models.
        receivers.connect()
