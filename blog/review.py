"""Review before publishing: a contributor submits an article (status Pending review), the editors are told by
mail (sent by the task worker, worker.mail), and an editor publishes or schedules it, or sends it back with a note
the author sees on the article's form. The article's History names each step and who took it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from config.site_url import site_link
from worker.mail import send_email_on_commit

from .forms import ReviewAction
from .models import Article


def awaiting_review_path():
    """The admin's list of the articles waiting for review."""
    return reverse("admin:blog_article_changelist") + f"?status__exact={Article.Status.PENDING}"


def reviewers():
    """The active staff who review articles (the Editors and Administrators roles, and superusers)."""
    users = get_user_model().objects.with_perm(
        "blog.review_article", backend="django.contrib.auth.backends.ModelBackend"
    )
    return users.filter(is_active=True, is_staff=True).exclude(email="").order_by("pk")


def notify_reviewers(article, *, submitted_by):
    """Mail the reviewers (but not whoever submitted) that `article` waits for review, once the save commits."""
    recipients = [user.email for user in reviewers().exclude(pk=submitted_by.pk)]
    if not recipients:
        return
    context = {
        "article": article,
        "submitted_by": submitted_by.get_full_name() or submitted_by.get_username(),
        "review_url": site_link(reverse("admin:blog_article_change", args=[article.pk])),
        "waiting_url": site_link(awaiting_review_path()),
    }
    send_email_on_commit(
        subject=" ".join(render_to_string("blog/email/review_subject.txt", context).split()),
        body=render_to_string("blog/email/review_request.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        kind="review request",
        article_id=article.pk,
    )


def describe_step(form, *, submitted):
    """The review step a save of the article form takes, for its revision in History ("" for none)."""
    if form.review_action == ReviewAction.SEND_BACK and form.instance.status == Article.Status.DRAFT:
        return _("Sent back to the author: %(note)s") % {"note": form.instance.review_note}
    if submitted:
        return _("Submitted for review")
    if form.initial.get("status") == Article.Status.PENDING and form.instance.status == Article.Status.PUBLISHED:
        return _("Scheduled after review") if not form.instance.is_published() else _("Published after review")
    return ""
