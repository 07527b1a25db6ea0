"""Passkeys (WebAuthn) for staff, through django-otp-webauthn: a passkey is one more django-otp device.

A verified staff member adds one on "Two-factor sign-in" (the library refuses a registration from a session that
has not passed its second factor). It then signs in on its own, without the password (passwordless sign-in: the
passkey is something you have and, with user verification, something you are or know), and the session is
verified as by any second factor.

The relying party is this site: its ID is the request's host name and the expected origin the request's own
scheme and host, both already checked by Django (ALLOWED_HOSTS; X-Forwarded-Proto only behind NUM_PROXIES), so
one setting serves every domain in ALLOWED_HOSTS. OTP_WEBAUTHN_RP_ID and OTP_WEBAUTHN_ALLOWED_ORIGINS, when set,
take their place.
"""

from django.conf import settings
from django_otp_webauthn.helpers import WebAuthnHelper


class PasskeyHelper(WebAuthnHelper):
    def get_relying_party_domain(self) -> str:
        return settings.OTP_WEBAUTHN_RP_ID or self.request.get_host().rsplit(":", 1)[0].strip("[]")

    def get_allowed_origins(self) -> list[str]:
        return settings.OTP_WEBAUTHN_ALLOWED_ORIGINS or [f"{self.request.scheme}://{self.request.get_host()}"]
