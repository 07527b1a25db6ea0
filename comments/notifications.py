"""The comments app's mail, queued for the task worker once the comment's transaction commits (worker.mail):
the confirmation request to an anonymous commenter, the reply notification to the author replied to, and the
digest of the comments waiting for editors.

Editors get the digest only when COMMENTS_HELD_NOTIFY_EMAILS names addresses, and at most one every
COMMENTS_HELD_DIGEST_SECONDS (five minutes): a held comment queues the digest task, to run when the last digest
is that old. The digest lists every held comment no digest has listed yet (comments.DigestedComment records each
one in the digest's transaction, and the marker row's lock runs one digest at a time), so a comment is never
listed twice, nor skipped because its transaction committed while a digest ran or because it was submitted before
the last digest and confirmed by email after it. The moderation link comes first, and everything a visitor typed
(name, email, website, text) is quoted below it, so that a line in a comment such as "Approve: https://…" cannot
pass for the site's own.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import TmpXtdComment, XtdComment
from django_tasks import task

from blog.models import Article
from config.site_url import site_link
from worker.mail import send_email, send_email_on_commit
from worker.models import JobRun

from .links import comment_url, confirmation_key, held_comments_path, mute_token, privacy_page_url
from .models import DigestedComment
from .queries import HELD

# The row (worker.JobRun, shared by every worker) that records when the last digest went out.
DIGEST_MARKER = "held-comment digest"


def one_line_subject(template_name, context):
    """The subject on one line: a line break from an article title would make the mail refused."""
    return " ".join(render_to_string(template_name, context).split())


def send_confirmation_request(*, tmp_comment: TmpXtdComment) -> None:
    """Ask an anonymous commenter to confirm their email before the comment is stored (COMMENTS_XTD_CONFIRM_EMAIL).

    The comment has no id yet, so a failure is logged with its article's."""
    context = {
        "comment": tmp_comment,
        "article": tmp_comment.content_object,
        "confirm_url": site_link(reverse("comment-confirm", args=[confirmation_key(tmp_comment)])),
        "privacy_url": site_link(privacy_page_url()),
    }
    _mail_commenter(
        "confirm_subject.txt",
        "confirm_request.txt",
        context,
        to=tmp_comment.user_email,
        kind="confirmation request",
        article_id=tmp_comment.content_object.pk,
    )


def notify_parent_author(*, comment: XtdComment) -> bool:
    """Email the author of the comment this one replies to, when they asked for it. Returns whether queued."""
    if comment.parent_id == comment.pk or not comment.is_public or comment.is_removed:
        return False
    parent = XtdComment.norel_objects.filter(pk=comment.parent_id, is_public=True, is_removed=False).first()
    if parent is None or not parent.followup or parent.user_email.lower() == comment.user_email.lower():
        return False
    context = {
        "parent": parent,
        "comment": comment,
        "article": comment.content_object,
        "comment_url": comment_url(comment, absolute=True),
        "mute_url": site_link(reverse("comment-mute", args=[mute_token(parent)])),
        "privacy_url": site_link(privacy_page_url()),
    }
    _mail_commenter(
        "reply_subject.txt",
        "reply_notification.txt",
        context,
        to=parent.user_email,
        kind="reply notification",
        comment_id=comment.pk,
    )
    return True


def _mail_commenter(subject_template, body_template, context, *, to, kind, **about):
    """A mail to one commenter from templates in comments/email/, sent by the task worker once this commits."""
    send_email_on_commit(
        subject=one_line_subject(f"comments/email/{subject_template}", context),
        body=render_to_string(f"comments/email/{body_template}", context),
        from_email=xtd_settings.COMMENTS_XTD_FROM_EMAIL,
        to=[to],
        kind=kind,
        **about,
    )


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
    return XtdComment.objects.filter(HELD, digested__isnull=True).order_by("submit_date", "pk")


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
            "subject": one_line_subject("comments/email/held_subject.txt", context),
            "body": render_to_string("comments/email/held_notification.txt", context),
            "from_email": settings.DEFAULT_FROM_EMAIL,
            "to": list(recipients),
            "kind": "held comments digest",
            "comment_id": comments[-1].pk,
        }
        transaction.on_commit(lambda: send_email.enqueue(**message), robust=True)
    return "sent"
