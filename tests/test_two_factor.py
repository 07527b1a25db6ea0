"""Staff two-factor sign-in with django-otp: real TOTP codes (django_otp.oath.totp) and real recovery codes."""

import os
import re
import subprocess
import sys

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import EditorFactory
from .forms import form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.ADMIN_REQUIRE_2FA = True


def code_for(device, *, steps_ahead=0):
    """The code an authenticator app shows now (or `steps_ahead` 30-second steps later) for the device's key."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


def log_in(client, username, password=PASSWORD, token=""):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "otp_token": token, "next": reverse("admin:index")},
    )


def enrol(client, editor):
    """Sign in with the password, scan (read the key), confirm a code: returns the device and recovery codes."""
    assert log_in(client, editor.username)["Location"] == reverse("admin:two_factor")
    page = client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    data = form_data(page, "two-factor-form")
    data["token"] = code_for(device)
    done = client.post(reverse("admin:two_factor"), data)
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    device.refresh_from_db()
    return device, codes


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


def test_a_password_alone_opens_only_the_enrolment_page(client):
    editor = EditorFactory()

    response = log_in(client, editor.username)

    assert response["Location"] == reverse("admin:two_factor")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:blog_article_changelist")).status_code == 302


def test_enrolment_shows_a_qr_code_and_the_key(client):
    editor = EditorFactory()
    log_in(client, editor.username)

    page = client.get(reverse("admin:two_factor")).content.decode()

    assert "<svg" in page
    key = TOTPDevice.objects.get(user=editor).bin_key
    from base64 import b32encode

    assert b32encode(key).decode()[:4] in page


def test_enrolment_with_a_real_code_turns_it_on_and_hands_out_recovery_codes(client):
    editor = EditorFactory()

    device, codes = enrol(client, editor)

    assert device.confirmed
    assert len(codes) == 10
    assert sorted(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == sorted(codes)
    assert client.get(reverse("admin:index")).status_code == 200  # Verified for this session.


def test_a_wrong_code_at_enrolment_is_refused_and_named(client):
    editor = EditorFactory()
    log_in(client, editor.username)
    page = client.get(reverse("admin:two_factor"))
    data = {**form_data(page, "two-factor-form"), "token": "000000"}
    device = TOTPDevice.objects.get(user=editor)
    if code_for(device) == "000000":
        data["token"] = "111111"

    response = client.post(reverse("admin:two_factor"), data)

    assert "did not match" in response.content.decode()
    assert not TOTPDevice.objects.get(user=editor).confirmed


def test_once_enrolled_the_password_alone_is_not_enough(client, django_user_model):
    editor = EditorFactory()
    enrol(client, editor)
    client.logout()

    response = log_in(client, editor.username)

    assert response.status_code == 200
    assert "otp_token" in response.context["form"].errors or response.context["form"].non_field_errors()
    assert client.get(reverse("admin:index")).status_code == 302


def test_sign_in_with_password_and_the_apps_current_code(client):
    editor = EditorFactory()
    device, _codes = enrol(client, editor)
    client.logout()

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=60)):  # A code not used yet.
        response = log_in(client, editor.username, token=code_for(device))
        assert response.status_code == 302, response.context["form"].errors
        assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_signs_in_once(client, settings):
    # django-otp throttles a device for a second after a wrong code: this test is about reuse, not throttling.
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    editor = EditorFactory()
    _device, codes = enrol(client, editor)
    client.logout()

    assert log_in(client, editor.username, token=codes[0]).status_code == 302
    client.logout()
    assert log_in(client, editor.username, token=codes[0]).status_code == 200
    assert log_in(client, editor.username, token=codes[1]).status_code == 302


def test_the_reset_command_removes_the_second_factor(client):
    editor = EditorFactory()
    enrol(client, editor)
    client.logout()

    call_command("reset_second_factor", editor.username, stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    assert log_in(client, editor.username)["Location"] == reverse("admin:two_factor")


def test_not_required_the_admin_takes_a_password_alone(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    editor = EditorFactory()

    assert log_in(client, editor.username)["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
