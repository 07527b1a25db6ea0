"""Writes on comments, one call each: post a comment from the form, store one confirmed by email, approve,
remove or mark as spam, mute reply notifications. Each moderates, stores and mails as its case needs; the
article's totals and cached pages follow every change readers see (comments.totals)."""

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import TmpXtdComment, XtdComment

from .links import CONFIRM_MAX_AGE
from .models import UsedConfirmation
from .moderation import must_wait
from .notifications import notify_editors_of_held_comment, notify_parent_author, send_confirmation_request
from .totals import recount_once_per_article, shown_thread_changed


def post_comment(*, tmp_comment: TmpXtdComment, request) -> XtdComment | None:
    """A comment from the "Leave a Comment" form (valid, and within the rate limit): moderated, then stored once,
    or, from an anonymous commenter while COMMENTS_XTD_CONFIRM_EMAIL is on, signed into a confirmation link
    mailed to them. Returns the stored comment, or None while it waits for that confirmation."""
    if must_wait(tmp_comment, request):
        tmp_comment.is_public = False
    user = tmp_comment.user
    if xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL and not (user is not None and user.is_authenticated):
        send_confirmation_request(tmp_comment=tmp_comment)
        return None
    comment, created = save_posted_comment(tmp_comment=tmp_comment)
    if created:
        _mail_about_new(comment)
    return comment


def confirm_comment(*, tmp_comment: TmpXtdComment, nonce: str, request) -> XtdComment | None:
    """Store an email-confirmed comment, once per link, moderated again as a comment posted now (a week may have
    passed), with its address proven. None when the link was used already (a replay, a second click, or the same
    link in two tabs at once): the comment, even if editors removed it since, is not added again.
    """
    tmp_comment.is_public = not must_wait(tmp_comment, request, email_confirmed=True)
    try:
        with transaction.atomic():
            use = UsedConfirmation.objects.create(nonce=nonce)
            comment, created = save_posted_comment(tmp_comment=tmp_comment)
            use.comment = comment
            use.save(update_fields=["comment"])
    except IntegrityError:
        return None
    if created:
        _mail_about_new(comment)
    return comment


def _mail_about_new(comment):
    """A comment stored now: editors hear of it when it waits for them, the author it replies to when it is shown."""
    if not comment.is_public and not comment.is_removed:
        notify_editors_of_held_comment(comment)
    notify_parent_author(comment=comment)


def _lock_author_on_article(tmp_comment):
    """Serialise posts by one email on one article (double-clicks, several workers) until the transaction ends."""
    key = f"{tmp_comment.content_type.pk}:{tmp_comment.object_pk}:{tmp_comment.user_email.lower()}"
    lock_id = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def save_posted_comment(*, tmp_comment: TmpXtdComment) -> tuple[XtdComment, bool]:
    """Store the comment unless the same text from the same email is already on the article (a double submit).

    Returns the comment and whether it was created now. The article's totals are counted once, in the same
    transaction, although xtd saves a new comment twice (for its id, then its thread).
    """
    with transaction.atomic(), recount_once_per_article():
        _lock_author_on_article(tmp_comment)
        since = timezone.now() - datetime.timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW)
        earlier = (
            XtdComment.norel_objects.filter(
                content_type=tmp_comment.content_type,
                object_pk=tmp_comment.object_pk,
                user_email__iexact=tmp_comment.user_email,
                comment=tmp_comment.comment,
                submit_date__gte=since,
            )
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            return earlier, False
        fields = {key: value for key, value in tmp_comment.items() if key not in {"content_object", "xtd_comment"}}
        comment = XtdComment(**fields)
        comment.save()
        return comment, True


def mute_replies(*, comment: XtdComment) -> int:
    """Stop reply notifications for every comment by this email on this article."""
    return XtdComment.norel_objects.filter(
        content_type_id=comment.content_type_id, object_pk=comment.object_pk, user_email__iexact=comment.user_email
    ).update(followup=False)


def prune_used_confirmations(*, now=None) -> int:
    """Forget used links older than any link can be: an expired link is refused by its signature's age anyway."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=CONFIRM_MAX_AGE + 24 * 60 * 60)
    deleted, _ = UsedConfirmation.objects.filter(used_at__lt=cutoff).delete()
    return deleted


def _shown_threads_changed(object_pks):
    """Queryset updates send no model signals: the changed threads are announced here."""
    for object_pk in sorted(set(object_pks)):
        shown_thread_changed(object_pk)


def approve(*, comments) -> int:
    """Approve comments held for moderation (or removed) and notify the authors they reply to."""
    pending = list(comments.filter(Q(is_public=False) | Q(is_removed=True)))
    XtdComment.norel_objects.filter(pk__in=[comment.pk for comment in pending]).update(is_public=True, is_removed=False)
    for comment in pending:
        was_held = not comment.is_public
        comment.is_public, comment.is_removed = True, False
        if was_held:
            notify_parent_author(comment=comment)
    _shown_threads_changed(comment.object_pk for comment in pending)
    return len(pending)


def remove(*, comments) -> int:
    """Hide the comments' text; they keep their place so replies still make sense."""
    object_pks = list(comments.values_list("object_pk", flat=True))
    count = comments.update(is_public=True, is_removed=True)
    _shown_threads_changed(object_pks)
    return count


def mark_spam(*, comments) -> int:
    """Hide the comments entirely."""
    shown_on = list(comments.filter(is_public=True).values_list("object_pk", flat=True))
    count = comments.update(is_public=False, is_removed=True)
    _shown_threads_changed(shown_on)  # A held comment marked as spam was never shown: no reader's page changes.
    return count
