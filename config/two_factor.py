"""Staff two-factor sign-in (django-otp): TOTP from an authenticator app, plus single-use recovery codes.

Required for every staff account when ADMIN_REQUIRE_2FA is on (the default whenever DEBUG is off; `make run`'s
local editor, with DEBUG on, is exempt). A staff member with no confirmed device yet signs in with the password
alone and can then reach only the enrolment page (config.admin.BlogAdminSite): scan the QR code, confirm a code,
keep the recovery codes. `manage.py reset_second_factor USERNAME` returns a locked-out editor to that state.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def required_for(user):
    return settings.ADMIN_REQUIRE_2FA and user.is_active and user.is_staff


def enrolled(user):
    return user_has_device(user, confirmed=True)


def needs_enrolment(user):
    return required_for(user) and not enrolled(user)


class TwoFactorAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin's log-in: username, password and, once enrolled, a code from the app or a recovery code.

    Until the second factor passes, every failure gets one answer, whether or not the password was right (a wrong
    code counts as a failed log-in, as a wrong password does): an attacker learns nothing about the password. While
    the username is under the per-username lock (config.login_limits), only a sign-in whose second factor passes
    gets through."""

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s, password and authentication code for a staff account. "
            "Note that both fields may be case-sensitive."
        ),
    }
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Please enter your authentication code."),
        "invalid_token": _("That authentication code did not match."),
    }
    otp_token = forms.CharField(
        label=_("Authentication code from your app, or a recovery code"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)  # Chosen by the code's shape.

    def clean(self):
        try:
            self.cleaned_data = AdminAuthenticationForm.clean(self)
        except ValidationError:
            raise self.get_invalid_login_error() from None
        user = self.get_user()
        if user is None:
            return self.cleaned_data  # No username or password typed: the fields say what is missing.
        try:
            if required_for(user) and enrolled(user):
                self.clean_otp(user)
            elif getattr(self.request, "login_username_locked", False):
                raise ValidationError("Under the per-username lock, only a second factor passes.", code="locked")
        except ValidationError as error:
            if error.code == "throttled":
                raise  # The code was right (the second factor passed): saying so tells nothing about the password.
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
            self.user_cache = None
            raise self.get_invalid_login_error() from None
        return self.cleaned_data

    def _chosen_device(self, user):
        """The app's device for a six-digit code, else the recovery codes: one device is tried, so a code typed
        for one never counts as a failure (and a throttle step) against the other."""
        token = (self.cleaned_data.get("otp_token") or "").strip()
        if token.isdigit():
            return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def qr_code_svg(device):
    """The otpauth:// URL an authenticator app scans, as inline SVG (no image libraries, nothing external)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff")


def pending_app_device(user):
    """The unconfirmed app device being enrolled (one per user, kept across reloads of the page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def new_recovery_codes(user):
    """Fresh recovery codes (replacing any earlier ones): each signs in once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(request, device, token):
    """Confirm the app device with a code it generated; returns the recovery codes, or None if the code is wrong."""
    with transaction.atomic():
        if not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        codes = new_recovery_codes(device.user)
    otp_login(request, device)
    return codes


def reset(user):
    """Remove every second factor of the user: their next sign-in is password, then enrolment."""
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        deleted += model.objects.filter(user=user).delete()[0]
    return deleted
