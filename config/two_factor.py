"""Staff two-factor sign-in (django-otp): TOTP from an authenticator app, plus single-use recovery codes.

Required for every staff account when ADMIN_REQUIRE_2FA is on (the default whenever DEBUG is off; `make run`'s
local editor, with DEBUG on, is exempt). Whoever has the password first must not own the second factor, so a staff
member with no second factor yet cannot sign in with the password alone: an administrator gives them an enrolment
link (`manage.py enrolment_link USERNAME`), single-use and valid ENROLMENT_LINK_HOURS. The link leads to a page
(config.admin.BlogAdminSite) that asks for the password and a code from the app: the key the app scans lives in
that browser's session until the code confirms it, and no other session ever sees it. The recovery codes are shown
once and stored hashed. `manage.py reset_second_factor USERNAME` removes the second factor and ends every session
of the user; they then need a new enrolment link.

Django-two-factor-auth and django-allauth's MFA were tried and are not used (README, "Two-factor sign-in"): the
first's log-in wizard tells a right password from a wrong one, signs in an account with no second factor on its
password and stores recovery codes in the clear; the second never requires a second factor and replaces django-otp,
on which staff.access and the passkeys rest. Meeting this module's rules with either would take more code than this,
written against their internals. This module keeps django-otp's devices and throttling and adds only what they leave
to the project.
"""

import base64
import functools
import hashlib
import secrets
import string

import segno
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.middleware import is_verified as otp_is_verified
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.events import log_event

RECOVERY_CODES = 10
# Recovery codes: 16 lowercase letters (75 bits), shown in groups of four; stored only as a hash.
RECOVERY_CODE_LETTERS = 16
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The browser session of an enrolment link: the user and the key being enrolled, until a code confirms it.
PENDING_SESSION_KEY = "two_factor_pending"
# Wrong codes on one pending key before it is dropped (the page then shows a new key).
PENDING_ATTEMPTS = 5


def required_for(user):
    return settings.ADMIN_REQUIRE_2FA and user.is_active and user.is_staff


def enrolled(user):
    return user_has_device(user, confirmed=True)


def needs_enrolment(user):
    return required_for(user) and not enrolled(user)


def seconds_until(moment):
    return max(1, int((moment - timezone.now()).total_seconds() + 0.999))


def totp_matches(key_hex, token, *, after=0):
    """Whether `token` is the code an app with this key shows now (one 30-second step either side), newer than
    step `after`. Returns the matching step, or None. Nothing is stored or counted."""
    token = (token or "").strip().replace(" ", "")
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6)
    totp.time = timezone.now().timestamp()
    return totp.t() if totp.verify(int(token), tolerance=1, min_t=after) else None


def recovery_code_digest(code):
    """What is stored for a recovery code (StaticToken.token holds 16 characters): 96 bits of its SHA-256. The
    codes carry 75 random bits, so the stored values give nothing away."""
    allowed = string.ascii_lowercase + string.digits
    normalised = "".join(character for character in (code or "").lower() if character in allowed)
    digest = hashlib.sha256(f"blog-recovery-code:{normalised}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def code_is_right_without_counting(device, token):
    """Whether the code would pass the device (for the throttle message), without using it up or counting it."""
    if isinstance(device, TOTPDevice):
        return totp_matches(device.key, token, after=device.last_t + 1) is not None
    if isinstance(device, StaticDevice):
        return device.token_set.filter(token=recovery_code_digest(token)).exists()
    return False


class TwoFactorAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin's log-in: username, password and a code from the app or a recovery code.

    Until the second factor passes, every failure gets one answer, whether or not the password was right (a wrong
    code counts as a failed log-in, as a wrong password does): an attacker learns nothing about the password. A
    staff account with no second factor yet gets that answer too: it is set up through an enrolment link, never
    after a password alone. While the username is under the per-username lock (config.login_limits), only a
    sign-in whose second factor passes gets through."""

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
        "verification_not_allowed": _("Authentication codes are paused for this account for a moment."),
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
            if required_for(user):
                if not enrolled(user):
                    raise ValidationError("No second factor yet: an enrolment link sets it up.", code="not_enrolled")
                self.clean_otp(user)
                if isinstance(user.otp_device, StaticDevice):
                    log_event("recovery code used", username=user.get_username(), request=self.request)
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

    def _verify_token(self, user, token, device=None):
        """django-otp's check, with recovery codes compared by their hash, and a right code during the pause
        after a wrong one answered "wait N seconds" rather than "did not match"."""
        if device is not None:
            allowed, extra = device.verify_is_allowed()
            if not allowed and (extra or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                if code_is_right_without_counting(device, token):
                    seconds = seconds_until(extra["locked_until"])
                    raise ValidationError(
                        _(
                            "That authentication code is right, but codes are paused after a wrong one: "
                            "wait %(seconds)d seconds, then enter the newest code."
                        )
                        % {"seconds": seconds},
                        code="throttled",
                    )
                raise ValidationError(self.otp_error_messages["invalid_token"], code="invalid_token")
        if isinstance(device, StaticDevice):
            token = recovery_code_digest(token)
        return super()._verify_token(user, token, device)


def check_app_code(device, token):
    """None when `token` is the app's current code (used up, as django-otp does), else what to tell the user: a
    right code during the pause after a wrong one says how long to wait."""
    if device is None:
        return _("Two-factor sign-in has no authenticator app for this account.")
    allowed, extra = device.verify_is_allowed()
    if not allowed and (extra or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        if code_is_right_without_counting(device, token):
            return _(
                "That authentication code is right, but codes are paused after a wrong one: "
                "wait %(seconds)d seconds, then enter the newest code."
            ) % {"seconds": seconds_until(extra["locked_until"])}
        return _("That authentication code did not match.")
    return None if device.verify_token((token or "").strip()) else _("That authentication code did not match.")


def qr_code_svg(config_url):
    """The otpauth:// URL an authenticator app scans, as inline SVG (no image libraries, nothing external)."""
    return segno.make(config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff")


def unsaved_app_device(user, key_hex):
    """The app device a pending key would become (for its otpauth:// URL): never saved before it is confirmed."""
    return TOTPDevice(user=user, name=APP_DEVICE_NAME, key=key_hex, confirmed=False)


def new_key():
    return secrets.token_hex(20)


def new_recovery_codes(user):
    """Fresh recovery codes (replacing any earlier ones): each signs in once. Only their hashes are stored."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(string.ascii_lowercase) for _ in range(RECOVERY_CODE_LETTERS))
        for _ in range(RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_digest(code)) for code in codes)
    return ["-".join(code[i : i + 4] for i in range(0, len(code), 4)) for code in codes]


def confirm_enrolment(request, user, key_hex, token):
    """Confirm the pending key with a code the app shows, for a user whose password was just checked: the app
    device is saved and the user signed in, verified, under a new session key (django.contrib.auth.login cycles
    it); returns the recovery codes, or None if the code is wrong."""
    step = totp_matches(key_hex, token)
    if step is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key_hex, confirmed=True, last_t=step)
        codes = new_recovery_codes(user)
    # As django_otp.middleware.OTPMiddleware marks a verified user; django_otp's user_logged_in receiver then
    # records the device in the (new) session.
    user.otp_device = device
    user.is_verified = functools.partial(otp_is_verified, user)
    auth_login(request, user)
    log_event("second factor enrolled", username=user.get_username(), request=request)
    return codes


class EnrolmentTokenGenerator(PasswordResetTokenGenerator):
    """Enrolment links: single-use (a link stops working once a second factor is confirmed, or the password
    changes), valid ENROLMENT_LINK_HOURS."""

    key_salt = "config.two_factor.EnrolmentTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        devices = ",".join(
            str(pk)
            for pk in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").values_list("pk", flat=True)
        )
        return f"{super()._make_hash_value(user, timestamp)}|enrol|{devices}"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        timestamp = self._num_seconds(self._now()) - self._ts_from_token(token)
        return timestamp <= settings.ENROLMENT_LINK_HOURS * 3600

    def _ts_from_token(self, token):
        from django.utils.http import base36_to_int

        return base36_to_int(token.split("-")[0])


enrolment_tokens = EnrolmentTokenGenerator()


def enrolment_path(user):
    """The path of a new enrolment link for `user` (single-use, valid ENROLMENT_LINK_HOURS)."""
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return reverse(
        "admin:two_factor_enrol_link",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": enrolment_tokens.make_token(user)},
    )


def end_sessions(user):
    """Sign the user out everywhere: every stored session of theirs is deleted."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def reset(user):
    """Remove every second factor of the user (app, recovery codes, passkeys) and end all their sessions: they need a
    new enrolment link."""
    deleted = 0
    from django_otp_webauthn.models import WebAuthnCredential

    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        deleted += model.objects.filter(user=user).delete()[0]
    sessions = end_sessions(user)
    log_event("second factor reset", username=user.get_username(), devices_removed=deleted, sessions_ended=sessions)
    return deleted
