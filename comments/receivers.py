"""Receivers of XtdComment's model signals: a comment saved or deleted anywhere (a post, the admin's change form
or delete, a restore) changes the article's totals and cached pages when readers could see it (comments.totals).
Bulk changes send no model signals: comments.services announces those itself."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_init, post_save
from django_comments_xtd.models import XtdComment

from blog.models import Article

from .totals import shown_thread_changed


def connect():
    post_init.connect(remember_shown, sender=XtdComment, dispatch_uid="comments.shown")
    for signal in (post_save, post_delete):
        signal.connect(comment_changed, sender=XtdComment, dispatch_uid="comments.totals")


def remember_shown(sender, instance, **kwargs):
    """Whether readers could see the comment as it was loaded or made (post_init): a held or spam comment that
    stays so changes no public page when it is saved."""
    instance._was_shown = instance.__dict__.get("is_public", True)


def comment_changed(sender, instance, raw=False, **kwargs):
    """A comment was saved or deleted (a restore loads its own totals and invalidates every page)."""
    if raw or instance.content_type_id != ContentType.objects.get_for_model(Article).pk:
        return
    if instance.is_public or getattr(instance, "_was_shown", True):
        shown_thread_changed(instance.object_pk)
