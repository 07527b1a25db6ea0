"""The "Leave a Comment" form, and the context around it.

The form on a public page is the same for every reader: no CSRF token (comments.views checks the Origin
instead), no remembered details (comments.js fills them in from the reader's own cookie, which the server
never reads). A reader with a session (an editor) gets a token and their name.
"""

import time
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.renderers import Jinja2
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.forms import XtdCommentForm

from config.jinja2 import render_fragment
from config.pagecache import has_session

from .links import privacy_page_url
from .queries import reply_target

# A public page's form may be served from a cache for up to a day; a reader may then take their time.
FORM_MAX_AGE = 7 * 24 * 60 * 60


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
    """xtd's form with our limits: every value is checked here, before the database sees it.

    Its widgets are drawn by Django's Jinja2 form renderer, as the form around them (comments/respond.html):
    with the Django template language, the form was about a third of an uncached article page."""

    default_renderer = Jinja2()  # One instance: it keeps its compiled templates.

    remember = forms.BooleanField(
        required=False, label=_("Save my name, email, and website in this browser for the next time I comment.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["remember"].help_text = format_html(
            'Saved in a cookie on this device. See our <a href="{}">privacy page</a>.', privacy_page_url()
        )
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

    def clean_timestamp(self):
        """Django's check allows two hours; a cached page's form may be older (see FORM_MAX_AGE)."""
        timestamp = self.cleaned_data["timestamp"]
        if time.time() - timestamp > FORM_MAX_AGE:
            raise ValidationError("Timestamp check failed")
        return timestamp

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


def new_form(request, article, reply_to=None):
    initial = {"reply_to": reply_to.pk if reply_to else 0}
    if has_session(request) and request.user.is_authenticated:
        initial.update(name=request.user.get_full_name() or request.user.get_username(), email=request.user.email)
    return ArticleCommentForm(article, initial=initial)


def render_respond(request, context):
    """The "Leave a Comment" section: templates/jinja2/comments/respond.html with form_context's `context`."""
    return render_fragment("comments/respond.html", context, request=request)


def form_context(request, article, form=None, reply_to=None):
    """Context for comments/respond.html: a new form (or the bound one with its errors). Without a session it
    touches nothing of the reader's."""
    if form is not None:
        reply_to = reply_target(article, form.data.get("reply_to"))
    return {
        "article": article,
        "comments_open": article.comments_open(),
        "comment_form": form or new_form(request, article, reply_to),
        "reply_to": reply_to,
        "csrf_protected": has_session(request),
    }
