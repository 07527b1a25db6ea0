"""Our receivers: for posted comments, in place of xtd's (which notifies every follower of the article), and
the ones that follow changes to what readers see of a thread: the article's stored totals
(comments.thread.comments_changed) and the cached pages showing its comments (config.cachetags)."""

from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.conf import settings as xtd_settings

from blog.models import Article
from config.cachetags import invalidate, object_tag

from . import services
from .thread import comments_changed


def store_posted_comment(sender, comment, request, **kwargs):
    """Store the comment at once, or (anonymous, COMMENTS_XTD_CONFIRM_EMAIL on) ask for email confirmation first."""
    user = comment.user
    if xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL and not (user is not None and user.is_authenticated):
        services.send_confirmation_request(tmp_comment=comment, request=request)
    else:
        services.publish(tmp_comment=comment, request=request)


def shown_thread_changed(object_pk):
    """Readers see the article's thread differently: count its totals, invalidate the pages that show it."""
    comments_changed(object_pk)
    invalidate(object_tag(Article(pk=object_pk), "comments"))


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


def thread_changed(sender, object_pk, **kwargs):
    """Bulk approval or removal (services.thread_changed): queryset updates send no model signals."""
    shown_thread_changed(object_pk)
