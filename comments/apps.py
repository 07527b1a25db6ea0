from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Moderation"  # The admin's section for comments, blocked words and blocked domains.

    def ready(self):
        from . import receivers

        receivers.connect()
