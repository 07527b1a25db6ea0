"""Sign-in events as structured log lines (staff.events): sign-in, failure, lockout, enrolment, reset and recovery-code
use, each with the event, the username and the client's network, never a password or a code."""

import io
import json
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from config.logging import JSONLineFormatter
from tests.factories import EditorFactory
from tests.forms import BrowserClient
from tests.staff.test_two_factor import PASSWORD, code_for, enrol, log_in, wrong_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.ADMIN_REQUIRE_2FA = True
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def events(caplog):
    """The sign-in events logged so far, as the JSON lines production writes."""
    caplog.set_level(logging.INFO, logger="staff.signin")

    def logged():
        records = [record for record in caplog.records if record.name == "staff.signin"]
        return [json.loads(JSONLineFormatter().format(record)) for record in records]

    return logged


def test_every_sign_in_event_is_one_structured_line_without_secrets(client, events):
    editor = EditorFactory(username="amina")
    device, codes = enrol(client, editor)  # Enrolment (and its sign-in).
    client.logout()
    log_in(client, " amina", password="wrong-password", token=wrong_code(device.key))  # Failure.
    log_in(BrowserClient(), "amina", token=wrong_code(device.key))  # Right password, wrong code: a failure too.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=60)):
        log_in(client, "amina", token=code_for(device.key))  # Sign-in with the app.
    client.logout()
    log_in(client, "amina", token=codes[0])  # A recovery code.
    call_command("reset_second_factor", "amina", stdout=io.StringIO())

    lines = events()
    names = [line["event"] for line in lines]
    for expected in ["second factor enrolled", "sign-in failed", "sign-in", "sign-out", "recovery code used"]:
        assert expected in names
    assert names[-1] == "second factor reset"
    assert names.count("sign-in failed") == 2
    assert {line["username"] for line in lines} == {"amina"}
    by_request = [line for line in lines if line["event"] in {"sign-in", "sign-in failed", "recovery code used"}]
    assert {line["client"] for line in by_request} == {"127.0.0.1"}
    text = json.dumps(lines)
    assert PASSWORD not in text
    assert "wrong-password" not in text
    assert device.key not in text
    assert not any(code in text or code.replace("-", "") in text for code in codes)
    assert code_for(device.key) not in text


def test_a_lockout_is_logged(events, settings):
    editor = EditorFactory(username="amina")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        BrowserClient().post("/admin/login/", {"username": "amina", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")

    assert log_in(BrowserClient(), editor.username).status_code in {200, 429}
    locked = [line for line in events() if line["event"] == "locked out"]
    assert locked
    assert locked[0]["username"] == "amina"


def test_a_passkey_sign_in_is_logged_as_one(events, rf):
    """django-otp-webauthn signs in through its own backend, then verifies the session with the passkey."""
    from django.contrib.auth.signals import user_logged_in

    editor = EditorFactory(username="amina")
    editor.backend = "django_otp_webauthn.backends.WebAuthnBackend"

    user_logged_in.send(sender=type(editor), request=rf.get("/admin/passkeys/authentication/complete/"), user=editor)

    (line,) = events()
    assert (line["event"], line["username"], line["second_factor"]) == ("sign-in", "amina", "passkey")
