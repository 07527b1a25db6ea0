"""Passkeys in Chromium with a virtual authenticator (Chrome DevTools Protocol WebAuthn.addVirtualAuthenticator,
through Playwright's CDP session): a verified editor adds a passkey on "Two-factor sign-in", logs out, and signs in
again with the passkey alone; the session is verified (the admin opens)."""

import re

import pytest
from django.core.management import call_command
from django_otp_webauthn.models import WebAuthnCredential

from tests.e2e.conftest import CHROMIUM_ARGS, EDITOR_PASSWORD
from tests.e2e.test_two_factor_journey import code_for_secret, enrolment_path
from tests.servers import production_server


@pytest.fixture
def passkey_site(transactional_db, django_db_serialized_rollback):
    call_command("load_site_content", verbosity=0)
    with production_server(extra_env={"ADMIN_REQUIRE_2FA": "1"}) as base_url:
        # WebAuthn needs a domain (not an IP address) in a secure context: http://localhost is one.
        yield base_url.replace("127.0.0.1", "localhost")


@pytest.fixture
def page_with_authenticator(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.cdp, page.authenticator_id = cdp, authenticator["authenticatorId"]
    yield page
    context.close()
    assert errors == []


def test_an_editor_adds_a_passkey_and_signs_in_with_it_alone(passkey_site, page_with_authenticator, editor_account):
    assert CHROMIUM_ARGS  # Debian's Chromium, as every browser test.
    page = page_with_authenticator
    page.goto(passkey_site + enrolment_path(editor_account.username))
    secret = page.locator(".totp-secret").inner_text()
    page.fill("#id_password", EDITOR_PASSWORD)
    page.fill("#id_token", code_for_secret(secret))
    page.click("#two-factor-form input[type=submit]")
    assert page.locator(".recovery-codes code").count() == 10

    page.goto(f"{passkey_site}/admin/two-factor/")
    page.click("#passkey-register-button")
    page.locator("#passkey-register-status-message[data-status-enum='success']").wait_for()
    credentials = page.cdp.send("WebAuthn.getCredentials", {"authenticatorId": page.authenticator_id})["credentials"]
    assert len(credentials) == 1
    assert WebAuthnCredential.objects.filter(user=editor_account, confirmed=True).count() == 1

    page.click("#two-factor-logout button")
    page.goto(f"{passkey_site}/admin/")
    assert "/admin/login/" in page.url
    page.click("#passkey-verification-button")
    page.wait_for_url(re.compile(r"^http://localhost:\d+/admin/$"))

    assert page.locator("#logout-form").count() == 1  # The admin index: a verified staff session.
    assert "Articles, authors and comments" in page.content()
