"""The links the comments app hands out, and what proves them: a comment's place on its page, a held comment's
private link (its moderation hash), the mute link in reply notifications and the email confirmation link (a
signed key), and the privacy page the form and the mails point to."""

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode
from django_comments_xtd.models import TmpXtdComment, XtdComment

from blog.models import Article
from config.site_url import site_link

from .models import UsedConfirmation
from .queries import article_comments, page_of_comment

MODERATION_HASH_SALT = "comments.moderation-hash"
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


def privacy_page_url():
    """The static page the consent text and the comment emails link to (settings.PRIVACY_PAGE_SLUG)."""
    return reverse("pages:detail", kwargs={"slug": settings.PRIVACY_PAGE_SLUG})


def held_comments_path():
    """The admin's list of the comments held for moderation."""
    return reverse("admin:django_comments_xtd_xtdcomment_changelist") + "?status=held"


def moderation_hash(comment):
    """What proves a held comment's author in its private link (WordPress's moderation-hash)."""
    return salted_hmac(MODERATION_HASH_SALT, f"{comment.pk}:{comment.user_email}").hexdigest()[:32]


def held_comment(request, article):
    """The comment named by ?unapproved=ID&moderation-hash=HASH, while it awaits moderation; else None."""
    pk = request.GET.get("unapproved", "")
    if not (pk.isascii() and pk.isdigit()):
        return None
    comment = article_comments(article).filter(pk=int(pk), is_public=False, is_removed=False).first()
    if comment is None or not constant_time_compare(request.GET.get("moderation-hash", ""), moderation_hash(comment)):
        return None
    return comment


def comment_url(comment, *, absolute=False):
    """The comment's place on its article page (the right page of threads), on the Site's domain when
    `absolute` (for emails). A comment awaiting moderation gets its private link instead, which shows it to
    its author only."""
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
    return site_link(url) if absolute else url


def mute_token(comment):
    return signing.dumps({"c": comment.pk}, salt=MUTE_SALT)


def comment_for_mute_token(token):
    """The comment a mute link was sent for, or None when the link is forged or the comment is gone."""
    try:
        pk = signing.loads(token, salt=MUTE_SALT)["c"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return XtdComment.norel_objects.filter(pk=pk).first()


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
