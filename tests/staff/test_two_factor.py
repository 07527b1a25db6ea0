"""Staff two-factor sign-in with django-otp: real TOTP codes (django_otp.oath.totp) and real recovery codes.

A staff account with no second factor yet is set up through an administrator's enrolment link
(`manage.py enrolment_link`), never after a password alone."""

import io
import os
import re
import subprocess
import sys
from base64 import b32encode

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.two_factor import PENDING_SESSION_KEY
from tests.factories import EditorFactory
from tests.forms import BrowserClient, form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.ADMIN_REQUIRE_2FA = True


def code_for(key_hex, *, steps_ahead=0):
    """The code an authenticator app with this key shows now (or `steps_ahead` 30-second steps later)."""
    return f"{totp(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=steps_ahead):06d}"


def wrong_code(key_hex):
    return "000000" if code_for(key_hex) != "000000" else "111111"


def log_in(client, username, password=PASSWORD, token=""):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "otp_token": token, "next": reverse("admin:index")},
    )


def enrolment_link(user):
    out = io.StringIO()
    call_command("enrolment_link", user.username, stdout=out, stderr=io.StringIO())
    return re.sub(r"^https?://[^/]+", "", out.getvalue().strip())


def open_link(client, user):
    """Open the enrolment link: returns the key the page shows (kept in this browser's session only)."""
    response = client.get(enrolment_link(user))
    assert response["Location"] == reverse("admin:two_factor_enrol")
    return client.session[PENDING_SESSION_KEY]["key"]


def enrol(client, editor):
    """Open the link, scan (read the key), confirm with the password and a code: the device and recovery codes."""
    key = open_link(client, editor)
    page = client.get(reverse("admin:two_factor_enrol"))
    data = {**form_data(page, "two-factor-form"), "password": PASSWORD, "token": code_for(key)}
    done = client.post(reverse("admin:two_factor_enrol"), data)
    codes = re.findall(r"<li><code>([\w-]+)</code></li>", done.content.decode())
    return TOTPDevice.objects.get(user=editor), codes


def test_production_requires_a_second_factor_for_staff():
    """DEBUG off, nothing else said: required (checked in a fresh interpreter with production settings)."""
    env = {key: value for key, value in os.environ.items() if key not in {"ADMIN_REQUIRE_2FA", "DEBUG"}}
    env.update(SECRET_KEY="x" * 60, ALLOWED_HOSTS="blog.example.com")
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
    env["DEBUG"] = "1"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"  # `make run` and its local editor.


def test_a_password_alone_opens_nothing_for_an_account_not_yet_enrolled(client):
    """The answer is the one a wrong password gets: a leaked initial password tells and opens nothing."""
    editor = EditorFactory()

    right = log_in(client, editor.username)
    wrong = log_in(BrowserClient(), editor.username, password="wrong-password")

    assert right.status_code == wrong.status_code == 200
    assert right.context["form"].errors == wrong.context["form"].errors
    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:two_factor_enrol")).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_whoever_signs_in_first_with_the_password_cannot_take_the_second_factor(client):
    editor = EditorFactory()
    attacker = BrowserClient()
    log_in(attacker, editor.username)  # Knows the initial password, has no link.
    assert attacker.get(reverse("admin:two_factor_enrol")).status_code == 404

    device, codes = enrol(client, editor)  # The owner, with the administrator's link.

    assert device.confirmed
    assert len(codes) == 10
    assert log_in(attacker, editor.username).status_code == 200
    assert attacker.get(reverse("admin:index")).status_code == 302


def test_the_pending_key_lives_in_the_session_until_it_is_confirmed(client):
    editor = EditorFactory()

    key = open_link(client, editor)
    page = client.get(reverse("admin:two_factor_enrol")).content.decode()
    other_key = open_link(BrowserClient(), editor)

    assert not TOTPDevice.objects.exists()  # Nothing saved that another session could read.
    assert key != other_key
    assert "<svg" in page
    assert b32encode(bytes.fromhex(key)).decode()[:4] in page


def test_enrolment_verifies_the_session_with_a_new_session_key_and_hashes_the_recovery_codes(client):
    editor = EditorFactory()
    open_link(client, editor)
    key_before = client.session.session_key

    _device, codes = enrol(client, editor)

    assert client.session.session_key != key_before
    assert client.get(reverse("admin:index")).status_code == 200  # Verified for this session.
    stored = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes)
    assert not stored & {code.replace("-", "") for code in codes}
    assert all(len(code.replace("-", "")) == 16 for code in codes)


def test_a_wrong_code_at_enrolment_is_refused_and_named(client):
    editor = EditorFactory()
    key = open_link(client, editor)
    page = client.get(reverse("admin:two_factor_enrol"))
    data = {**form_data(page, "two-factor-form"), "password": PASSWORD, "token": wrong_code(key)}

    response = client.post(reverse("admin:two_factor_enrol"), data)

    assert "authentication code did not match" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_an_enrolment_link_works_once(client):
    editor = EditorFactory()
    link = enrolment_link(editor)
    enrol(client, editor)

    response = BrowserClient().get(link)

    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_once_enrolled_the_password_alone_is_not_enough(client):
    editor = EditorFactory()
    enrol(client, editor)
    client.logout()

    response = log_in(client, editor.username)

    assert response.status_code == 200
    errors = str(response.context["form"].errors)
    assert "authentication code" in errors
    assert "OTP" not in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_sign_in_with_password_and_the_apps_current_code(client):
    editor = EditorFactory()
    device, _codes = enrol(client, editor)
    client.logout()

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=60)):  # A code not used yet.
        response = log_in(client, editor.username, token=code_for(device.key))
        assert response.status_code == 302, response.context["form"].errors
        assert client.get(reverse("admin:index")).status_code == 200


def test_a_right_code_during_the_pause_after_a_wrong_one_says_how_long_to_wait(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    editor = EditorFactory()
    device, _codes = enrol(client, editor)
    client.logout()

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=60)):
        log_in(client, editor.username, token=wrong_code(device.key))
        response = log_in(client, editor.username, token=code_for(device.key))

    text = response.content.decode()
    assert re.search(r"wait \d+ seconds", text)
    assert "did not match" not in text


def test_a_recovery_code_signs_in_once(client, settings):
    # django-otp throttles a device for a second after a wrong code: this test is about reuse, not throttling.
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    editor = EditorFactory()
    _device, codes = enrol(client, editor)
    client.logout()

    assert log_in(client, editor.username, token=codes[0]).status_code == 302
    client.logout()
    assert log_in(client, editor.username, token=codes[0]).status_code == 200
    assert log_in(client, editor.username, token=codes[1].upper().replace("-", " ")).status_code == 302


def test_new_recovery_codes_ask_for_an_authentication_code(client):
    editor = EditorFactory()
    device, old_codes = enrol(client, editor)
    page = client.get(reverse("admin:two_factor"))
    data = form_data(page, "recovery-codes-form")

    refused = client.post(reverse("admin:two_factor"), {**data, "token": wrong_code(device.key)})
    assert "<code>" not in refused.content.decode()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=60)):
        done = client.post(reverse("admin:two_factor"), {**data, "token": code_for(device.key)})

    new_codes = re.findall(r"<li><code>([\w-]+)</code></li>", done.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)


def test_the_reset_command_removes_the_second_factor_and_ends_every_session(client):
    editor = EditorFactory()
    enrol(client, editor)
    other_browser = BrowserClient()
    other_browser.force_login(editor)

    call_command("reset_second_factor", editor.username, stdout=io.StringIO())

    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(editor.pk)]
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert log_in(client, editor.username).status_code == 200  # A new enrolment link is needed.
    assert SESSION_KEY not in client.session


def test_the_admin_never_shows_a_second_factors_secret(client):
    superuser = EditorFactory(is_superuser=True)
    device, codes = enrol(client, superuser)
    recovery = StaticDevice.objects.get(user=superuser)
    secret = b32encode(device.bin_key).decode()

    for url in (
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_changelist"),
        reverse("admin:otp_static_staticdevice_change", args=[recovery.pk]),
    ):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert device.key not in page
        assert secret[:16] not in page
        assert not any(code in page for code in codes)
        assert not any(token.token in page for token in recovery.token_set.all())


def test_log_out_is_on_every_two_factor_page(client):
    editor = EditorFactory()
    open_link(client, editor)
    pages = [client.get(reverse("admin:two_factor_enrol")), BrowserClient().get("/admin/two-factor/enrol/x/y/")]
    enrol(client, editor)
    pages.append(client.get(reverse("admin:two_factor")))

    for page in pages:
        assert 'id="two-factor-logout"' in page.content.decode()
        assert f'action="{reverse("admin:logout")}"' in page.content.decode()
    client.post(reverse("admin:logout"))
    assert SESSION_KEY not in client.session


def test_not_required_the_admin_takes_a_password_alone(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    editor = EditorFactory()

    assert log_in(client, editor.username)["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_only_a_verified_session_can_add_a_passkey(client):
    editor = EditorFactory()
    begin = reverse("otp_webauthn:credential-registration-begin")

    assert BrowserClient(enforce_csrf_checks=False).post(begin).status_code in {401, 403}
    enrol(client, editor)
    assert client.post(begin).status_code == 200  # Verified: the browser gets the registration options.
    unverified = BrowserClient()
    unverified.force_login(editor)  # A session that never passed the second factor.
    assert unverified.post(begin).status_code in {401, 403}


def test_a_reset_removes_passkeys_too(client):
    from django_otp_webauthn.models import WebAuthnCredential

    editor = EditorFactory()
    enrol(client, editor)
    WebAuthnCredential.objects.create(
        user=editor, name="Laptop", credential_id=b"id", public_key=b"key", sign_count=0, confirmed=True
    )

    call_command("reset_second_factor", editor.username, stdout=io.StringIO())

    assert not WebAuthnCredential.objects.filter(user=editor).exists()


def test_recovery_codes_stored_in_plain_text_before_are_hashed_and_still_work_once(client, settings):
    """The migration staff 0002 hashes django-otp's earlier 8-character codes."""
    from importlib import import_module

    from django.apps import apps

    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    editor = EditorFactory()
    enrol(client, editor)
    client.logout()
    device = StaticDevice.objects.get(user=editor)
    device.token_set.all().delete()
    device.token_set.create(token="ab3cd7ef")  # As django-otp stored them.

    import_module("staff.migrations.0002_hash_recovery_codes").hash_plain_codes(apps, None)

    assert list(device.token_set.values_list("token", flat=True)) != ["ab3cd7ef"]
    assert log_in(client, editor.username, token="AB3C-D7EF").status_code == 302
    client.logout()
    assert log_in(client, editor.username, token="ab3cd7ef").status_code == 200


def test_an_administrator_makes_an_enrolment_link_in_the_admin(client):
    administrator = EditorFactory(is_superuser=True)
    enrol(client, administrator)
    newcomer = EditorFactory()
    changelist = reverse("admin:auth_user_changelist")

    response = client.post(
        changelist, {"action": "make_enrolment_links", "_selected_action": [newcomer.pk]}, follow=True
    )

    text = response.content.decode()
    link = re.search(r"http://testserver(/admin/two-factor/enrol/[^/]+/[^/]+/)", text).group(1)
    assert newcomer.username in text
    assert BrowserClient().get(link)["Location"] == reverse("admin:two_factor_enrol")
