"""Adding a passkey is for verified staff only, on the server: django-otp-webauthn's registration endpoints refuse
a crafted request from any other session (config.passkeys), whatever the pages show. The library alone lets a
session with no second factor yet register one (and so verify itself)."""

import json

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.factories import EditorFactory, UserFactory
from tests.forms import BrowserClient

pytestmark = pytest.mark.django_db

BEGIN = "otp_webauthn:credential-registration-begin"
COMPLETE = "otp_webauthn:credential-registration-complete"
# What a browser would send back after the ceremony: the server must refuse before it reads it.
CRAFTED_ATTESTATION = {
    "id": "Y3JhZnRlZA",
    "rawId": "Y3JhZnRlZA",
    "type": "public-key",
    "response": {"clientDataJSON": "e30", "attestationObject": "oA"},
}


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.ADMIN_REQUIRE_2FA = True


def signed_in(user, *, verified=False):
    """A browser signed in as `user`: with the password alone, or also verified by an app's code."""
    client = BrowserClient()
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def begin(client):
    return client.post(reverse(BEGIN), "{}", content_type="application/json")


def complete(client):
    """A completion with a registration state planted in the session, as if `begin` had answered."""
    session = client.session
    session["otp_webauthn_register_state"] = {"challenge": "Y2hhbGxlbmdl", "require_user_verification": False}
    session.save()
    return client.post(reverse(COMPLETE), json.dumps(CRAFTED_ATTESTATION), content_type="application/json")


def test_a_verified_staff_session_gets_the_registration_options():
    response = begin(signed_in(EditorFactory(), verified=True))

    assert response.status_code == 200
    assert response.json()["challenge"]


def test_an_anonymous_request_cannot_begin_or_complete_a_registration():
    assert begin(BrowserClient()).status_code == 403
    assert complete(BrowserClient()).status_code == 403


def test_a_staff_session_with_the_password_alone_cannot_begin_a_registration():
    """No second factor yet (the library would let it in, and the passkey would then verify the session)."""
    client = signed_in(EditorFactory())

    response = begin(client)

    assert response.status_code == 403
    assert response.json()["code"] == "staff_only"
    assert "otp_webauthn_register_state" not in client.session


def test_a_staff_session_with_the_password_alone_cannot_complete_a_registration():
    client = signed_in(EditorFactory())

    response = complete(client)

    assert response.status_code == 403
    assert not WebAuthnCredential.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_enrolled_staff_session_not_verified_cannot_begin_or_complete_a_registration():
    editor = EditorFactory()
    TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    client = signed_in(editor)

    assert begin(client).status_code == 403
    assert complete(client).status_code == 403


def test_a_reader_account_cannot_begin_or_complete_a_registration():
    client = signed_in(UserFactory())

    assert begin(client).status_code == 403
    assert complete(client).status_code == 403
    assert not WebAuthnCredential.objects.exists()


def test_a_verified_account_that_is_no_longer_staff_cannot_begin_a_registration():
    former_editor = EditorFactory()
    client = signed_in(former_editor, verified=True)
    former_editor.is_staff = False
    former_editor.save()

    assert begin(client).status_code == 403
