"""Multi-step writes on comments: save a posted comment once, approve, notify, confirm."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import TmpXtdComment, XtdComment
from django_comments_xtd.signals import confirmation_received

from blog.models import Article
from config.site_url import site_link
from worker.mail import send_email_on_commit

from .forms import moderation_hash, privacy_page_url
from .models import UsedConfirmation
from .thread import page_of_comment, recount_once_per_article

MUTE_SALT = "comments.mute"
CONFIRM_SALT = "comments.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
CONFIRM_FIELDS = (
    "object_pk",
    "site_id",
    "user_name",
    "user_email",
    "user_url",
    "comment",
    "is_public",
    "parent_id",
    "followup",
    "ip_address",
)

# Sent with `object_pk` (the article's pk, as a string) whenever what readers see in an article's thread changes:
# a comment appears, or editors approve, remove or mark shown comments as spam (comments.signals).
thread_changed = Signal()


def _lock_author_on_article(tmp_comment):
    """Serialise posts by one email on one article (double-clicks, several workers) until the transaction ends."""
    key = f"{tmp_comment.content_type.pk}:{tmp_comment.object_pk}:{tmp_comment.user_email.lower()}"
    lock_id = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def save_posted_comment(*, tmp_comment: TmpXtdComment) -> tuple[XtdComment, bool]:
    """Store the comment unless the same text from the same email is already on the article (a double submit).

    Returns the comment and whether it was created now. The article's totals are counted once, in the same
    transaction: xtd saves a new comment twice (for its id, then its thread), and thread_changed counts too.
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
        if comment.is_public:
            thread_changed.send(sender=XtdComment, object_pk=comment.object_pk)
        return comment, True


def comment_url(comment, request=None):
    """The comment's place on its article page (the right page of threads), absolute (for emails) when a request
    is given. A comment awaiting moderation gets its private link instead, which shows it to its author only."""
    article_url = reverse("blog:article", kwargs={"slug": Article.objects.get(pk=comment.object_pk).slug})
    if comment.is_public and not comment.is_removed:
        url = f"{article_url}?cpage={page_of_comment(comment)}#c{comment.pk}"
    elif not comment.is_public and not comment.is_removed:
        # A held reply is shown under the comment it answers: on that comment's page of threads.
        page = page_of_comment(comment) if comment.parent_id != comment.pk else 1
        query = {"cpage": page} if page > 1 else {}
        query.update({"unapproved": comment.pk, "moderation-hash": moderation_hash(comment)})
        url = f"{article_url}?{urlencode(query)}"
        url += f"#c{comment.pk}"
    else:
        url = f"{article_url}#comments"
    return site_link(url) if request is not None else url


def mute_token(comment):
    return signing.dumps({"c": comment.pk}, salt=MUTE_SALT)


def comment_for_mute_token(token):
    """The comment a mute link was sent for, or None when the link is forged or the comment is gone."""
    try:
        pk = signing.loads(token, salt=MUTE_SALT)["c"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return XtdComment.norel_objects.filter(pk=pk).first()


def mute_replies(*, comment: XtdComment) -> int:
    """Stop reply notifications for every comment by this email on this article."""
    return XtdComment.norel_objects.filter(
        content_type_id=comment.content_type_id, object_pk=comment.object_pk, user_email__iexact=comment.user_email
    ).update(followup=False)


def email_subject(template_name, context):
    """The subject on one line: a line break from an article title would make the mail refused."""
    return " ".join(render_to_string(template_name, context).split())


def notify_parent_author(*, comment: XtdComment, request) -> bool:
    """Email the author of the comment this one replies to, when they asked for it. Returns whether queued.

    The mail is written now (its links need the request) and sent by the task worker after the commit."""
    if comment.parent_id == comment.pk or not comment.is_public or comment.is_removed:
        return False
    parent = XtdComment.norel_objects.filter(pk=comment.parent_id, is_public=True, is_removed=False).first()
    if parent is None or not parent.followup or parent.user_email.lower() == comment.user_email.lower():
        return False
    context = {
        "parent": parent,
        "comment": comment,
        "article": comment.content_object,
        "comment_url": comment_url(comment, request),
        "mute_url": site_link(reverse("comment-mute", args=[mute_token(parent)])),
        "privacy_url": site_link(privacy_page_url()),
    }
    send_email_on_commit(
        subject=email_subject("comments/email/reply_subject.txt", context),
        body=render_to_string("comments/email/reply_notification.txt", context),
        from_email=xtd_settings.COMMENTS_XTD_FROM_EMAIL,
        to=[parent.user_email],
        kind="reply notification",
        comment_id=comment.pk,
    )
    return True


def publish(*, tmp_comment: TmpXtdComment, request) -> tuple[XtdComment, bool]:
    """Store a posted (or email-confirmed) comment once, tell the moderator and notify the replied-to author."""
    comment, created = save_posted_comment(tmp_comment=tmp_comment)
    _published(tmp_comment, comment, created, request)
    return comment, created


def _published(tmp_comment, comment, created, request):
    tmp_comment.xtd_comment = comment
    if created:
        confirmation_received.send(sender=TmpXtdComment, comment=tmp_comment, request=request)
        notify_parent_author(comment=comment, request=request)


def confirmation_key(tmp_comment):
    """The comment, signed into the confirmation link (JSON, not xtd's signed pickle).

    A random nonce makes each key unique to the one comment it was issued for; UsedConfirmation records it
    once the link has been used, so the link cannot add the comment again.
    """
    data = {name: tmp_comment[name] for name in CONFIRM_FIELDS}
    data["submit_date"] = tmp_comment.submit_date.isoformat()
    data["nonce"] = secrets.token_urlsafe(16)
    return signing.dumps(data, salt=CONFIRM_SALT, compress=True)


def comment_for_confirmation_key(key):
    """The unsaved comment a confirmation link carries and the link's nonce, or None when forged, expired, issued
    before links carried a nonce, or its article is gone."""
    try:
        data = signing.loads(key, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        article = Article.objects.filter(pk=int(data["object_pk"])).first()
        submit_date = datetime.datetime.fromisoformat(data.pop("submit_date"))
        nonce = str(data.pop("nonce"))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if article is None:
        return None
    tmp_comment = TmpXtdComment(
        **{name: data[name] for name in CONFIRM_FIELDS if name in data},
        submit_date=submit_date,
        content_type=ContentType.objects.get_for_model(Article),
        content_object=article,
        is_removed=False,
        thread_id=0,
        level=0,
        order=1,
    )
    return tmp_comment, nonce


def confirmation_use(nonce):
    """The record of the link's use, or None while it has not been used."""
    return UsedConfirmation.objects.filter(nonce=nonce).select_related("comment").first()


def confirm_comment(*, tmp_comment: TmpXtdComment, nonce: str, request) -> XtdComment | None:
    """Store an email-confirmed comment, once per link. None when the link was used already (a replay, a second
    click, or the same link in two tabs at once): the comment, even if editors removed it since, is not added again.
    """
    try:
        with transaction.atomic():
            use = UsedConfirmation.objects.create(nonce=nonce)
            comment, created = save_posted_comment(tmp_comment=tmp_comment)
            use.comment = comment
            use.save(update_fields=["comment"])
    except IntegrityError:
        return None
    _published(tmp_comment, comment, created, request)
    return comment


def prune_used_confirmations(*, now=None) -> int:
    """Forget used links older than any link can be: an expired link is refused by its signature's age anyway."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=CONFIRM_MAX_AGE + 24 * 60 * 60)
    deleted, _ = UsedConfirmation.objects.filter(used_at__lt=cutoff).delete()
    return deleted


def send_confirmation_request(*, tmp_comment: TmpXtdComment, request) -> None:
    """Ask an anonymous commenter to confirm their email before the comment is stored (COMMENTS_XTD_CONFIRM_EMAIL).

    Sent by the task worker; the comment has no id yet, so a failure is logged with its article's."""
    key = confirmation_key(tmp_comment)
    context = {
        "comment": tmp_comment,
        "article": tmp_comment.content_object,
        "confirm_url": site_link(reverse("comment-confirm", args=[key])),
        "privacy_url": site_link(privacy_page_url()),
    }
    send_email_on_commit(
        subject=email_subject("comments/email/confirm_subject.txt", context),
        body=render_to_string("comments/email/confirm_request.txt", context),
        from_email=xtd_settings.COMMENTS_XTD_FROM_EMAIL,
        to=[tmp_comment.user_email],
        kind="confirmation request",
        article_id=tmp_comment.content_object.pk,
    )


def _announce(object_pks):
    for object_pk in sorted(set(object_pks)):
        thread_changed.send(sender=XtdComment, object_pk=object_pk)


def approve(*, comments, request) -> int:
    """Approve comments held for moderation (or removed) and notify the authors they reply to."""
    pending = list(comments.filter(Q(is_public=False) | Q(is_removed=True)))
    XtdComment.norel_objects.filter(pk__in=[comment.pk for comment in pending]).update(is_public=True, is_removed=False)
    for comment in pending:
        was_held = not comment.is_public
        comment.is_public, comment.is_removed = True, False
        if was_held:
            notify_parent_author(comment=comment, request=request)
    _announce(comment.object_pk for comment in pending)
    return len(pending)


def remove(*, comments) -> int:
    """Hide the comments' text; they keep their place so replies still make sense."""
    object_pks = list(comments.values_list("object_pk", flat=True))
    count = comments.update(is_public=True, is_removed=True)
    _announce(object_pks)
    return count


def mark_spam(*, comments) -> int:
    """Hide the comments entirely."""
    shown_on = list(comments.filter(is_public=True).values_list("object_pk", flat=True))
    count = comments.update(is_public=False, is_removed=True)
    _announce(shown_on)  # A held comment marked as spam was never shown: no reader's page changes.
    return count
