import re
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import BlackListedDomain, XtdComment

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


# A host name: labels of letters, digits and inner hyphens, joined by dots, with at least one dot.
DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


class BlockedDomainForm(forms.ModelForm):
    """A domain as editors paste it (“@spam.example”, a link, capitals) is stored as the bare host name."""

    class Meta:
        model = BlackListedDomain
        fields = ["domain"]
        labels = {"domain": _("Domain")}
        help_texts = {
            "domain": _(
                "Comments whose email address or website is on this domain, or on a subdomain of it, "
                "wait for moderation. For example: spam.example (covers mail.spam.example too)."
            )
        }

    def clean_domain(self):
        typed = self.cleaned_data["domain"].strip().lower()
        domain = (urlsplit(typed).hostname if "//" in typed else typed.rpartition("@")[2]) or ""
        domain = domain.strip(".")
        if not DOMAIN.match(domain):
            raise forms.ValidationError(_("Enter a domain such as spam.example (no spaces)."))
        if BlackListedDomain.objects.filter(domain__iexact=domain).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("%(domain)s is on the list already.") % {"domain": domain})
        return domain
