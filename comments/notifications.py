"""Email to editors about comments waiting for them: off unless COMMENTS_HELD_NOTIFY_EMAILS names addresses.

One function, run after the comment's transaction has committed (comments.moderation calls it through
transaction.on_commit), so a slow mail server never holds up, or rolls back, a reader's post.
"""

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from blog.models import Article


def held_comments_url(article):
    """The admin's list of the comments held on `article`, as an absolute URL for an email."""
    scheme = "https" if settings.HTTPS_ONLY else "http"
    path = reverse("admin:django_comments_xtd_xtdcomment_changelist")
    return f"{scheme}://{Site.objects.get_current().domain}{path}?status=held&article={article.pk}"


def notify_editors_of_held_comment(comment) -> bool:
    """Tell the editors in COMMENTS_HELD_NOTIFY_EMAILS that `comment` waits for moderation. Returns whether sent."""
    recipients = settings.COMMENTS_HELD_NOTIFY_EMAILS
    article = Article.objects.filter(pk=comment.object_pk).first()
    if not recipients or article is None:
        return False
    context = {"comment": comment, "article": article, "moderation_url": held_comments_url(article)}
    send_mail(
        " ".join(render_to_string("comments/email/held_subject.txt", context).split()),  # One line, always.
        render_to_string("comments/email/held_notification.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
    return True
