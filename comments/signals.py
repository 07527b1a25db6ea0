"""Our receiver for posted comments, in place of xtd's (which notifies every follower of the article)."""

from django_comments_xtd.conf import settings as xtd_settings

from . import services


def store_posted_comment(sender, comment, request, **kwargs):
    """Store the comment at once, or (anonymous, COMMENTS_XTD_CONFIRM_EMAIL on) ask for email confirmation first."""
    user = comment.user
    if xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL and not (user is not None and user.is_authenticated):
        services.send_confirmation_request(tmp_comment=comment, request=request)
    else:
        services.publish(tmp_comment=comment, request=request)
