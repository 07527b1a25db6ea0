from django import forms
from django_comments_xtd.models import XtdComment

from .forms import WebsiteField, validate_visible


class CommentAdminForm(forms.ModelForm):
    """The same limits editors' edits must meet as readers' comments."""

    user_url = WebsiteField(label="Website", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = XtdComment
        fields = ["user_name", "user_email", "user_url", "comment", "followup", "is_public", "is_removed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user_name"].validators.append(validate_visible)
        self.fields["user_name"].required = True
