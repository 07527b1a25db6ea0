from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME as HISTORY_ATTR

from .dates import admin_date
from .models import Article, ArticleUpdate


class ChangeKind(models.TextChoices):
    MINOR = "minor", _("Minor edit: keeps “Last Updated On” and the update history")
    UPDATE = "update", _("Update: new “Last Updated On”, with a note")
    CORRECTION = "correction", _("Date correction: “Last Updated On” becomes the date set above")


# The admin's class for wide inputs (48em, as wide as its text areas): a long title or note is seen whole.
LONG_LINE = "vLargeTextField"


def label_split_date_time(field):
    """Name the admin's separate date and time inputs for screen readers: the field's one <label> points at
    neither (axe: label)."""
    date_input, time_input = getattr(field.widget, "widgets", (None, None))
    if date_input is not None:
        date_input.attrs["aria-label"] = _("%(field)s: date") % {"field": field.label}
        time_input.attrs["aria-label"] = _("%(field)s: time") % {"field": field.label}


class ReviewAction(models.TextChoices):
    """The review buttons of the article form (templates/admin/blog/article/submit_line.html), by their names."""

    SUBMIT = "_submit_for_review", _("Submit for review")
    SEND_BACK = "_send_back", _("Send back to the author")


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form: a minor edit or an update with a note, a guard against lost edits, and review.

    `user` (set by ArticleAdmin.get_form) is who saves: one who may not publish gets Draft and Pending review as
    the only statuses, so a posted "published" is refused here, whatever the page showed."""

    user = None

    change_kind = forms.ChoiceField(
        label=_("This save is"),
        choices=ChangeKind.choices,
        initial=ChangeKind.MINOR,
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
        help_text=_(
            "A minor edit fixes a typo or a link; an update changes what the article tells readers; "
            "a date correction fixes a wrong “Last Updated On” (the update history is left as it is)."
        ),
    )
    change_note = forms.CharField(
        label=_("Change note"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": LONG_LINE}),
        help_text=_(
            "Required for an update; one line shown to readers in the update history. "
            "“Last Updated On” becomes today unless you set another date above. "
            "For a date correction, optional: why, kept in the revision history."
        ),
    )
    # The version of the article this form was opened on; saving over a newer one is a conflict.
    edited_version = forms.IntegerField(widget=forms.HiddenInput)
    send_back_note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": LONG_LINE}),
        help_text=_("Required to send the article back: what to change. The author sees it on this form."),
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "author", "summary", "body", "status", "published_at", "last_updated_on",
            "allow_comments", "close_comments_after_days",
        ]  # fmt: skip
        widgets = {
            "title": forms.TextInput(attrs={"class": LONG_LINE}),
            "slug": forms.TextInput(attrs={"class": LONG_LINE}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_split_date_time(self.fields["published_at"])
        if "status" in self.fields and not self.may_publish:
            self.fields["status"].choices = [
                (value, label) for value, label in Article.Status.choices if value != Article.Status.PUBLISHED
            ]
        if not self.may_send_back:
            del self.fields["send_back_note"]
        if self.instance._state.adding:
            for name in ("change_kind", "change_note", "edited_version"):
                del self.fields[name]
            return
        if HISTORY_ATTR in self.instance.__dict__:
            self._start_from_live_article()
        self.initial["edited_version"] = self.instance.version
        # Whether readers could see the article before this save: only then is its history public.
        self.was_published = self.instance.is_published()

    def _start_from_live_article(self):
        """A revision being restored keeps today's "Last Updated On", unless the editor chooses a date correction
        or an update (django-simple-history fills in the version, an excluded field, from the live article)."""
        live = Article.objects.filter(pk=self.instance.pk).values_list("last_updated_on", flat=True).first()
        if live is not None:
            self.instance.last_updated_on = self.initial["last_updated_on"] = live

    @property
    def may_publish(self):
        return self.user is not None and self.user.has_perm("blog.publish_article")

    @property
    def may_send_back(self):
        """Only a reviewer, and only an article waiting for review, is sent back."""
        reviews = self.user is not None and self.user.has_perm("blog.review_article")
        return reviews and not self.instance._state.adding and self.instance.status == Article.Status.PENDING

    @property
    def review_action(self):
        """The review button this form was posted with, if any."""
        return next((action for action in ReviewAction if action.value in self.data), None)

    @property
    def kind_of_save(self):
        return self.cleaned_data.get("change_kind") if "change_kind" in self.fields else None

    @property
    def is_update(self):
        return self.kind_of_save == ChangeKind.UPDATE

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance._state.adding:
            self._check_for_conflict()
            self._clean_change_note()
            self._clean_date_change()
        self._set_default_last_updated_on()
        self._clean_review()
        return cleaned_data

    def _clean_review(self):
        """The review buttons set the status; nobody without the right publishes or schedules."""
        if self.review_action == ReviewAction.SUBMIT:
            self.cleaned_data["status"] = Article.Status.PENDING
        elif self.review_action == ReviewAction.SEND_BACK:
            if not self.may_send_back:
                self.add_error(None, _("Only an editor sends back an article that is waiting for review."))
            elif not self.cleaned_data.get("send_back_note", "").strip():
                self.add_error("send_back_note", _("Say what the author should change: the note is required."))
            else:
                self.cleaned_data["status"] = Article.Status.DRAFT
        if self.cleaned_data.get("status") == Article.Status.PUBLISHED and not self.may_publish:
            self.add_error("status", _("You cannot publish or schedule articles: submit it for review instead."))

    def _post_clean(self):
        super()._post_clean()
        if self.review_action == ReviewAction.SEND_BACK and "send_back_note" in self.cleaned_data:
            self.instance.review_note = self.cleaned_data["send_back_note"].strip()
        elif self.cleaned_data.get("status") == Article.Status.PENDING:
            self.instance.review_note = ""  # Submitted again: the editor's note is answered (History keeps it).

    def _clean_date_change(self):
        """A minor edit keeps "Last Updated On"; a date correction is there to change it."""
        if "last_updated_on" not in self.cleaned_data:
            return  # Its own error (an invalid date) is reported already.
        stored = self.initial.get("last_updated_on")
        moved = "last_updated_on" in self.changed_data
        if self.kind_of_save == ChangeKind.MINOR and moved:
            self.add_error(
                "last_updated_on",
                _(
                    "A minor edit keeps “Last Updated On” (%(date)s). To change it, choose “Update” "
                    "(with a note for readers) or “Date correction” below."
                )
                % {"date": admin_date(stored)},
            )
        elif self.kind_of_save == ChangeKind.CORRECTION and not moved:
            self.add_error(
                "last_updated_on",
                _("A date correction changes “Last Updated On”: set the correct date here, or choose “Minor edit”."),
            )

    def _clean_change_note(self):
        note = self.cleaned_data.get("change_note", "").strip()
        self.cleaned_data["change_note"] = note
        if self.is_update and not note:
            self.add_error("change_note", _("An update needs a one-line change note for readers."))
        elif note and self.kind_of_save == ChangeKind.MINOR:
            self.add_error(
                "change_note", _("A minor edit has no change note: choose “Update” to publish this note, or clear it.")
            )

    def _set_default_last_updated_on(self):
        """Without a date set by hand, an update is dated today; no date ever precedes publication."""
        published_at = self.cleaned_data.get("published_at")
        if "last_updated_on" in self.changed_data or published_at is None:
            return
        publication_date = timezone.localdate(published_at)
        if self.is_update:
            self.cleaned_data["last_updated_on"] = max(timezone.localdate(), publication_date)
        elif getattr(self, "was_published", False):
            return  # Readers have seen its dates: only an update or a date correction moves them.
        elif (self.cleaned_data.get("last_updated_on") or publication_date) < publication_date:
            self.cleaned_data["last_updated_on"] = publication_date

    def _check_for_conflict(self):
        """Refuse to save over changes another editor saved after this form was opened.

        The row stays locked until the admin's transaction ends, so two saves cannot both pass.
        The editor's text is shown back; the form now carries the latest version, so saving
        again deliberately keeps their text.
        """
        edited_version = self.cleaned_data.get("edited_version")
        current_version = (
            Article.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True).first()
        )
        if edited_version is None or current_version is None or edited_version == current_version:
            return
        latest = Article.history.filter(id=self.instance.pk).select_related("history_user").first()
        who = latest.history_user if latest and latest.history_user else _("another editor")
        when = admin_date(latest.history_date) if latest else ""
        self.add_error(
            None,
            _(
                "%(who)s saved this article (%(when)s) after you opened it. Nothing of yours is saved yet: "
                "your text is still below. See what they changed under History, then save again to replace "
                "their version with yours."
            )
            % {"who": who, "when": when},
        )
        self.data = self.data.copy()
        self.data[self.add_prefix("edited_version")] = current_version


class ArticleUpdateForm(forms.ModelForm):
    """An update history entry edited by hand: its date follows the rule of "Last Updated On"."""

    class Meta:
        model = ArticleUpdate
        fields = ["date", "note"]
        # Wider than the admin's 20em, but narrower than LONG_LINE, which would push the table past the page.
        widgets = {"note": forms.TextInput(attrs={"size": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The inline's table has column headings but no <label> per input (axe: label): name each one.
        self.fields["date"].widget.attrs["aria-label"] = _("Date of %(entry)s") % {"entry": self.entry_name()}
        self.fields["note"].widget.attrs["aria-label"] = _("Note of %(entry)s") % {"entry": self.entry_name()}

    def entry_name(self):
        if self.instance.pk is None:
            return _("a new update history entry")
        return _("update history entry %(date)s") % {"date": admin_date(self.instance.date)}

    def clean(self):
        cleaned_data = super().clean()
        article, date = cleaned_data.get("article"), cleaned_data.get("date")
        if article is None or date is None or "date" not in self.changed_data:
            return cleaned_data
        if date < article.publication_date():
            published = admin_date(article.publication_date())
            self.add_error("date", _("An update cannot be dated before publication (%s).") % published)
        elif date > article.default_update_date():
            self.add_error("date", _("An update cannot be dated in the future."))
        return cleaned_data


class ArticleUpdateFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete %(entry)s") % {"entry": form.entry_name()}
