"""The "Leave a Comment" form, and the per-reader context around it."""

import json
import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.forms import XtdCommentForm

from .moderation import comments_open
from .thread import article_comments, max_thread_level

REMEMBER_COOKIE = "comment_author"
REMEMBER_SALT = "comments.remember"
REMEMBER_MAX_AGE = 365 * 24 * 60 * 60
HELD_SESSION_KEY = "comments_held"


def validate_visible(value):
    """Reject names made only of spaces and invisible characters (zero-width spaces, joiners, ...)."""
    if not any(not char.isspace() and unicodedata.category(char) not in {"Cf", "Cc", "Zs"} for char in value):
        raise ValidationError(_("Enter a name with at least one visible character."), code="invisible")


def validate_one_line(value):
    """Reject line breaks and other control characters: the name goes into email subjects and headers."""
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(_("Enter your name on one line, without control characters."), code="control")


def validate_readable(value):
    """Reject text holding U+FFFD: Django puts it in place of bytes that were not valid UTF-8."""
    if "\ufffd" in value:
        raise ValidationError(
            _("This text was not valid UTF-8 and could not be read. Please type it again."), code="malformed"
        )


class WebsiteField(forms.URLField):
    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": _("Enter a web address starting with http:// or https://.")}


class ArticleCommentForm(XtdCommentForm):
    """xtd's form with our limits: every value is checked here, before the database sees it."""

    remember = forms.BooleanField(
        required=False, label=_("Save my name, email, and website in this browser for the next time I comment.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            max_length=settings.COMMENT_MAX_LENGTH,
            validators=[validate_readable],
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={"required": _("Please write your comment.")},
        )
        self.fields["name"] = forms.CharField(
            label=_("Name"),
            max_length=50,
            validators=[validate_visible, validate_one_line, validate_readable],
            widget=forms.TextInput(attrs={"autocomplete": "name"}),
            error_messages={"required": _("Please enter your name.")},
        )
        self.fields["email"] = forms.EmailField(
            label=_("Email"),
            max_length=254,
            help_text=_("Never published."),
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            error_messages={"required": _("Please enter your email address.")},
        )
        self.fields["url"] = WebsiteField(
            label=_("Website"),
            required=False,
            max_length=200,
            assume_scheme="https",
            widget=forms.URLInput(attrs={"autocomplete": "url"}),
        )
        self.fields["followup"].label = _("Notify me of replies to my comment by email.")
        self.fields["followup"].widget.attrs.pop("class", None)
        self.fields["honeypot"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_reply_to(self):
        """A reply must answer a visible comment on the same article that is not at the deepest level."""
        parent_id = self.cleaned_data["reply_to"]
        if parent_id and reply_target(self.target_object, parent_id) is None:
            raise ValidationError(_("The comment you are replying to cannot take replies."), code="bad_parent")
        return parent_id

    def clean(self):
        cleaned_data = super().clean()
        timestamp = cleaned_data.get("timestamp")
        if timestamp and time.time() - timestamp < settings.COMMENTS_MIN_SECONDS_TO_SUBMIT:
            raise ValidationError(
                _("That was very quick. Please check your comment and send it again."), code="too_fast"
            )
        return cleaned_data

    def remembered_author(self):
        return {field: self.cleaned_data[field] for field in ("name", "email", "url")}


def remembered_author(request):
    """The name, email and website the reader asked us to remember, or {}."""
    try:
        return json.loads(request.get_signed_cookie(REMEMBER_COOKIE, salt=REMEMBER_SALT))
    except (KeyError, signing.BadSignature, ValueError):
        return {}


def remember_author(response, request, form):
    """Keep the author's details in a signed cookie when they ticked the box; forget them when they did not."""
    if form.cleaned_data["remember"]:
        response.set_signed_cookie(
            REMEMBER_COOKIE,
            json.dumps(form.remembered_author()),
            salt=REMEMBER_SALT,
            max_age=REMEMBER_MAX_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def reply_target(article, value):
    """The comment a reply_to value names, when it is visible on the article and may take replies; else None."""
    try:
        parent_id = int(value or 0)
    except (TypeError, ValueError):
        return None
    if not parent_id:
        return None
    return (
        article_comments(article)
        .filter(pk=parent_id, is_public=True, is_removed=False, level__lt=max_thread_level())
        .only("pk", "user_name")
        .first()
    )


def held_comments(request, article):
    """The reader's own comments on this article still awaiting moderation (known through their session)."""
    if not hasattr(request, "session") or not request.session.get(HELD_SESSION_KEY):
        return []
    return list(
        article_comments(article)
        .filter(pk__in=request.session[HELD_SESSION_KEY], is_public=False, is_removed=False)
        .order_by("pk")
    )


def new_form(request, article, reply_to=None):
    initial = {"reply_to": reply_to.pk if reply_to else 0}
    user = request.user
    if user.is_authenticated:
        initial.update(name=user.get_full_name() or user.get_username(), email=user.email)
    remembered = remembered_author(request)
    if remembered:
        initial.update(remembered, remember=True)
    return ArticleCommentForm(article, initial=initial)


def form_context(request, article, form=None):
    """Context for comments/respond.html: the reader's form (or the bound one with errors) and their held comments."""
    reply_to = reply_target(article, request.GET.get("reply_to") if form is None else form.data.get("reply_to"))
    return {
        "article": article,
        "comments_open": comments_open(article),
        "comment_form": form or new_form(request, article, reply_to),
        "reply_to": reply_to,
        "held_comments": held_comments(request, article),
    }
