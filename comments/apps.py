from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Moderation"  # The admin's section for comments, blocked words and blocked domains.

    def ready(self):
        from django.db.models.signals import post_delete, post_init, post_save
        from django_comments.signals import comment_was_posted
        from django_comments_xtd import views as xtd_views
        from django_comments_xtd.models import TmpXtdComment, XtdComment
        from django_comments_xtd.moderation import moderator

        from blog.models import Article

        from . import services, signals
        from .moderation import ArticleCommentModerator
        from .signals import store_posted_comment

        moderator.register(Article, ArticleCommentModerator)
        comment_was_posted.disconnect(xtd_views.on_comment_was_posted, sender=TmpXtdComment)
        comment_was_posted.connect(store_posted_comment, sender=TmpXtdComment, dispatch_uid="comments.store_posted")
        post_init.connect(signals.remember_shown, sender=XtdComment, dispatch_uid="comments.shown")
        for signal in (post_save, post_delete):
            signal.connect(signals.comment_changed, sender=XtdComment, dispatch_uid="comments.totals")
        services.thread_changed.connect(signals.thread_changed, dispatch_uid="comments.totals_bulk")
