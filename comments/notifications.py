"""Email to editors about comments waiting for them: off unless COMMENTS_HELD_NOTIFY_EMAILS names addresses.

The mail is queued for the task worker once the comment's transaction commits (worker.mail), so a slow or
unreachable mail server never holds up, or rolls back, a reader's post.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from blog.models import Article
from worker.mail import send_email_on_commit

from .services import email_link


def held_comments_path(article):
    """The admin's list of the comments held on `article`."""
    return reverse("admin:django_comments_xtd_xtdcomment_changelist") + f"?status=held&article={article.pk}"


def notify_editors_of_held_comment(comment) -> bool:
    """Queue a mail telling the editors in COMMENTS_HELD_NOTIFY_EMAILS that `comment` waits for moderation.
    Returns whether a mail is queued."""
    recipients = settings.COMMENTS_HELD_NOTIFY_EMAILS
    article = Article.objects.filter(pk=comment.object_pk).first()
    if not recipients or article is None:
        return False
    context = {"comment": comment, "article": article, "moderation_url": email_link(held_comments_path(article))}
    send_email_on_commit(
        subject=" ".join(render_to_string("comments/email/held_subject.txt", context).split()),  # One line.
        body=render_to_string("comments/email/held_notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(recipients),
        kind="held comment notification",
        comment_id=comment.pk,
        article_id=article.pk,
    )
    return True
