"""A new editor's two-factor journey in Chromium, on the production server with two-factor required: the password
alone opens nothing; the administrator's enrolment link shows a QR code and its key; the password and the app's
authentication code turn it on and show the recovery codes; log out; sign in again with a recovery code."""

import base64
import io
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from tests.e2e.conftest import EDITOR_PASSWORD
from tests.servers import production_server


@pytest.fixture
def two_factor_site(transactional_db, django_db_serialized_rollback):
    call_command("load_site_content", verbosity=0)
    with production_server(extra_env={"ADMIN_REQUIRE_2FA": "1"}) as base_url:
        yield base_url


def enrolment_path(username):
    out = io.StringIO()
    call_command("enrolment_link", username, stdout=out, stderr=io.StringIO())
    return re.sub(r"^https?://[^/]+", "", out.getvalue().strip())


def code_for_secret(secret):
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def sign_in(page, site, username, password, code=""):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.fill("#id_otp_token", code)
    page.click("input[type=submit]")


def test_a_new_editor_enrols_with_the_link_and_signs_in_with_a_second_factor(
    two_factor_site, editor_page, editor_account
):
    page = editor_page
    sign_in(page, two_factor_site, editor_account.username, EDITOR_PASSWORD)
    assert "authentication code" in page.locator(".errornote").inner_text()  # A password alone opens nothing.

    page.goto(two_factor_site + enrolment_path(editor_account.username))
    assert page.url.endswith("/admin/two-factor/enrol/")
    assert page.locator(".qr-code svg").count() == 1
    secret = page.locator(".totp-secret").inner_text()
    page.fill("#id_password", EDITOR_PASSWORD)
    page.fill("#id_token", code_for_secret(secret))
    page.click("#two-factor-form input[type=submit]")

    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.click("#two-factor-logout button")
    page.goto(f"{two_factor_site}/admin/")
    assert "/admin/login/" in page.url

    sign_in(page, two_factor_site, editor_account.username, EDITOR_PASSWORD, codes[0])
    assert page.url.rstrip("/").endswith("/admin")
    assert page.locator("#site-name").count() == 1
    assert page.locator("#logout-form").count() == 1
