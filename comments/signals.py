"""Our receivers: for posted comments, in place of xtd's (which notifies every follower of the article), and
the ones that keep each article's comment totals (comments.thread.comments_changed)."""

from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.conf import settings as xtd_settings

from blog.models import Article

from . import services
from .thread import comments_changed


def store_posted_comment(sender, comment, request, **kwargs):
    """Store the comment at once, or (anonymous, COMMENTS_XTD_CONFIRM_EMAIL on) ask for email confirmation first."""
    user = comment.user
    if xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL and not (user is not None and user.is_authenticated):
        services.send_confirmation_request(tmp_comment=comment, request=request)
    else:
        services.publish(tmp_comment=comment, request=request)


def comment_changed(sender, instance, raw=False, **kwargs):
    """A comment was saved or deleted: its article's totals may have changed (a restore loads its own)."""
    if not raw and instance.content_type_id == ContentType.objects.get_for_model(Article).pk:
        comments_changed(instance.object_pk)


def thread_changed(sender, object_pk, **kwargs):
    """Bulk approval or removal (services.thread_changed): queryset updates send no model signals."""
    comments_changed(object_pk)
