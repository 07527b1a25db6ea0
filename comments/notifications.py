"""Email to editors about comments waiting for them: off unless COMMENTS_HELD_NOTIFY_EMAILS names addresses.

Editors get at most one digest every COMMENTS_HELD_DIGEST_SECONDS (five minutes): a held comment queues the digest
task for the task worker once the comment's transaction commits (worker.mail), to run when the last digest is
that old. The digest lists every held comment no digest has listed yet (comments.DigestedComment records each one
in the digest's transaction, and the marker row's lock runs one digest at a time), so a comment is never listed
twice, nor skipped because its transaction committed while a digest ran or because it was submitted before the
last digest and confirmed by email after it. The moderation link comes first, and
everything a visitor typed (name, email, website, text) is quoted below it, so that a line in a comment such as
"Approve: https://…" cannot pass for the site's own.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from django_tasks import task

from blog.models import Article
from config.site_url import site_link
from worker.mail import send_email
from worker.models import JobRun

from .models import DigestedComment

# The row (worker.JobRun, shared by every worker) that records when the last digest went out.
DIGEST_MARKER = "held-comment digest"


def held_comments_path():
    """The admin's list of the comments held for moderation."""
    return reverse("admin:django_comments_xtd_xtdcomment_changelist") + "?status=held"


def quoted(text):
    """Every line of a visitor's text behind "> ", as mail quotes it."""
    return "\n".join(f"> {line}" for line in (text or "").splitlines() or [""])


def digest_interval():
    return datetime.timedelta(seconds=settings.COMMENTS_HELD_DIGEST_SECONDS)


def notify_editors_of_held_comment(comment) -> bool:
    """Queue the digest to the editors in COMMENTS_HELD_NOTIFY_EMAILS now that `comment` waits for moderation
    (sent when the last digest is old enough). Returns whether a digest is queued."""
    if not settings.COMMENTS_HELD_NOTIFY_EMAILS:
        return False
    transaction.on_commit(queue_digest, robust=True)
    return True


def queue_digest(run_after=None):
    """Queue the digest task (for `run_after`, when the task backend can defer; one that cannot, such as the
    tests' immediate backend, leaves a waiting digest to the next held comment)."""
    if run_after is None:
        send_held_digest.enqueue()
    elif send_held_digest.get_backend().supports_defer:
        send_held_digest.using(run_after=run_after).enqueue()


def held_not_yet_digested():
    return XtdComment.objects.filter(is_public=False, is_removed=False, digested__isnull=True).order_by(
        "submit_date", "pk"
    )


@task()
def send_held_digest() -> str:
    """One mail to the editors with every held comment no digest has listed yet, unless the last digest is younger
    than COMMENTS_HELD_DIGEST_SECONDS (then one is queued for when it is old enough).

    Workers run it one at a time (the marker row is locked until the transaction ends), and the comments it lists
    are recorded in the same transaction, so the next digest starts where this one ended."""
    recipients = settings.COMMENTS_HELD_NOTIFY_EMAILS
    with transaction.atomic():
        marker, _created = JobRun.objects.select_for_update().get_or_create(name=DIGEST_MARKER)
        now = timezone.now()  # Once the lock is held: a digest that waited for it reads the one before it.
        comments = list(held_not_yet_digested())
        if not recipients or not comments:
            return "nothing held"
        if marker.last_run_at is not None and now < marker.last_run_at + digest_interval():
            transaction.on_commit(lambda: queue_digest(marker.last_run_at + digest_interval()), robust=True)
            return "waiting"
        DigestedComment.objects.bulk_create(DigestedComment(comment=comment) for comment in comments)
        marker.last_run_at = now
        marker.save(update_fields=["last_run_at"])
        articles = Article.objects.in_bulk(
            {int(comment.object_pk) for comment in comments if comment.object_pk.isdigit()}
        )
        entries = [
            {"comment": comment, "article": articles.get(int(comment.object_pk)), "quoted": quoted(comment.comment)}
            for comment in comments
        ]
        context = {"entries": entries, "count": len(entries), "moderation_url": site_link(held_comments_path())}
        message = {
            "subject": " ".join(render_to_string("comments/email/held_subject.txt", context).split()),  # One line.
            "body": render_to_string("comments/email/held_notification.txt", context),
            "from_email": settings.DEFAULT_FROM_EMAIL,
            "to": list(recipients),
            "kind": "held comments digest",
            "comment_id": comments[-1].pk,
        }
        transaction.on_commit(lambda: send_email.enqueue(**message), robust=True)
    return "sent"
