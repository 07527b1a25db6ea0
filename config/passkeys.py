"""Passkeys (WebAuthn) for staff, through django-otp-webauthn: a passkey is one more django-otp device.

A verified staff member adds one on "Two-factor sign-in". It then signs in on its own, without the password
(passwordless sign-in: the passkey is something you have and, with user verification, something you are or know),
and the session is verified as by any second factor.

Registration is for verified staff only, on the server (StaffOnlyRegistration): the library refuses only a session
whose user already has a confirmed device and has not passed it, so a session with the password alone and no
second factor yet could register a passkey, and the library would then mark that session verified.

The relying party is this site: its ID is the request's host name and the expected origin the request's own
scheme and host, both already checked by Django (ALLOWED_HOSTS; X-Forwarded-Proto only behind NUM_PROXIES), so
one setting serves every domain in ALLOWED_HOSTS. OTP_WEBAUTHN_RP_ID and OTP_WEBAUTHN_ALLOWED_ORIGINS, when set,
take their place.
"""

from django.conf import settings
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import urls as library_urls
from django_otp_webauthn import views
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.helpers import WebAuthnHelper

from staff.access import is_verified


class PasskeyHelper(WebAuthnHelper):
    def get_relying_party_domain(self) -> str:
        return settings.OTP_WEBAUTHN_RP_ID or self.request.get_host().rsplit(":", 1)[0].strip("[]")

    def get_allowed_origins(self) -> list[str]:
        return settings.OTP_WEBAUTHN_ALLOWED_ORIGINS or [f"{self.request.scheme}://{self.request.get_host()}"]


class StaffOnly(OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Only staff signed in with their second factor can add a passkey.")
    default_code = "staff_only"


class StaffOnlyRegistration:
    """Both registration endpoints (begin and complete): an active staff member whose session passed a second
    factor, checked before the library reads the request or its registration state."""

    def check_can_register(self):
        user = self.request.user
        if not (user.is_active and user.is_staff and is_verified(user)):
            raise StaffOnly()
        super().check_can_register()


class BeginRegistrationView(StaffOnlyRegistration, views.BeginCredentialRegistrationView):
    pass


class CompleteRegistrationView(StaffOnlyRegistration, views.CompleteCredentialRegistrationView):
    pass


# The library's endpoints (namespace otp_webauthn, as its template tags expect), with registration replaced.
app_name = library_urls.app_name
urlpatterns = [
    path("registration/begin/", BeginRegistrationView.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistrationView.as_view(), name="credential-registration-complete"),
    *(pattern for pattern in library_urls.urlpatterns if not pattern.name.startswith("credential-registration-")),
]
