"""Admin log-in lockouts on every path: per (username, address) as django-axes counts it, per username across
addresses, per address across usernames, and IPv6 counted per /64."""

import pytest
from axes.models import AccessFailureLog
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import EditorFactory
from tests.forms import BrowserClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_record_lockout_path", "quick_password_hashes")]


@pytest.fixture
def _record_lockout_path(request, record_property):
    """`make check-security` lists the lockout paths these tests prove (see scripts/check_security.py)."""
    record_property("lockout_path", LOCKOUT_PATHS[request.node.name])


LOCKOUT_PATHS = {
    "test_five_failures_from_one_address_lock_that_username_there": "username+address",
    "test_failures_from_many_addresses_lock_the_username_everywhere": "username",
    "test_the_username_lock_does_not_tell_whether_the_account_exists": "unknown username alike",
    "test_the_username_lock_leaves_other_accounts_alone": "others unaffected",
    "test_one_address_trying_many_usernames_is_locked": "address",
    "test_ipv6_addresses_in_one_64_count_as_one_client": "IPv6 /64+username",
    "test_ipv6_across_usernames_counts_per_64": "IPv6 /64",
    "test_login_records_are_forgotten_after_the_retention_period": "records pruned",
    "test_every_spelling_of_a_username_counts_as_that_account": "username as the log-in form reads it",
    "test_spellings_of_a_username_from_one_address_count_as_one_pair": "username+address, normalised",
    "test_the_username_lock_lets_a_valid_second_factor_through": "username lock: second factor passes",
    "test_under_the_username_lock_a_right_password_alone_gets_the_same_answer": "username lock: same answer",
    "test_a_right_password_with_a_wrong_code_reads_as_a_wrong_password": "same answer until the second factor",
}


PASSWORD = "a-long-test-password"


def log_in(username, ip, password="wrong-password", token=""):
    return BrowserClient().post(
        reverse("admin:login"),
        {"username": username, "password": password, "otp_token": token, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def enrolled_editor():
    """An editor with a confirmed authenticator app (two-factor required, as in production)."""
    editor = EditorFactory()
    device = TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    return editor, device


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"


def wrong_code_for(device):
    return "000000" if code_for(device) != "000000" else "111111"


def test_five_failures_from_one_address_lock_that_username_there(db):
    editor = EditorFactory()
    for _ in range(5):
        log_in(editor.username, "203.0.113.7")

    assert log_in(editor.username, "203.0.113.7", PASSWORD).status_code == 429
    assert log_in(editor.username, "198.51.100.1", PASSWORD).status_code == 302


def test_failures_from_many_addresses_lock_the_username_everywhere(settings):
    editor = EditorFactory()
    for n in range(settings.LOGIN_USERNAME_FAILURE_LIMIT):
        assert log_in(editor.username, f"203.0.113.{n + 1}").status_code == 200

    assert log_in(editor.username, "198.51.100.99", PASSWORD).status_code == 429


def test_the_username_lock_does_not_tell_whether_the_account_exists(settings):
    editor = EditorFactory()
    for name in (editor.username, "no-such-account"):
        for n in range(settings.LOGIN_USERNAME_FAILURE_LIMIT):
            log_in(name, f"203.0.113.{n + 1}")

    real = log_in(editor.username, "198.51.100.99")
    made_up = log_in("no-such-account", "198.51.100.99")

    assert (real.status_code, made_up.status_code) == (429, 429)
    assert real.content == made_up.content


def test_the_username_lock_leaves_other_accounts_alone(settings):
    locked, other = EditorFactory(), EditorFactory()
    for n in range(settings.LOGIN_USERNAME_FAILURE_LIMIT):
        log_in(locked.username, f"203.0.113.{n + 1}")

    assert log_in(other.username, "198.51.100.99", PASSWORD).status_code == 302


def test_one_address_trying_many_usernames_is_locked(settings):
    editor = EditorFactory()
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        assert log_in(f"guess{n}", "203.0.113.7").status_code == 200

    assert log_in(editor.username, "203.0.113.7", PASSWORD).status_code == 429
    assert log_in(editor.username, "203.0.113.8", PASSWORD).status_code == 302


def test_ipv6_addresses_in_one_64_count_as_one_client():
    editor = EditorFactory()
    for n in range(5):
        log_in(editor.username, f"2001:db8:1:2::{n + 1:x}")

    assert log_in(editor.username, "2001:db8:1:2:ffff::9", PASSWORD).status_code == 429
    assert log_in(editor.username, "2001:db8:1:3::1", PASSWORD).status_code == 302


def test_ipv6_across_usernames_counts_per_64(settings):
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        log_in(f"guess{n}", f"2001:db8:aa:bb::{n + 1:x}")

    assert log_in(EditorFactory().username, "2001:db8:aa:bb:1234::1", PASSWORD).status_code == 429


def test_login_records_are_forgotten_after_the_retention_period(settings):
    import datetime

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.core.management import call_command
    from django.utils import timezone

    editor = EditorFactory()
    log_in(editor.username, "203.0.113.7")
    log_in(editor.username, "203.0.113.7", PASSWORD)
    assert AccessLog.objects.exists()
    assert AccessFailureLog.objects.exists()
    old = timezone.now() - datetime.timedelta(days=settings.LOGIN_RECORDS_RETENTION_DAYS + 1)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.update(attempt_time=old)
    log_in(editor.username, "198.51.100.1")  # A recent failure stays.

    call_command("prune_security_records", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not AccessLog.objects.exists()
    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["198.51.100.1"]


def test_every_spelling_of_a_username_counts_as_that_account(settings):
    """The spellings " editor", "editor " and "ｅditor" (a fullwidth e) all sign in as `editor`: one account."""
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 3
    editor = EditorFactory(username="editor")
    for n, spelling in enumerate([" editor", "editor ", "\uff45ditor"]):
        assert log_in(spelling, f"203.0.113.{n + 1}").status_code == 200

    for n, spelling in enumerate(["editor", " editor", "editor ", "\uff45ditor"]):
        assert log_in(spelling, f"198.51.100.{n + 1}", PASSWORD).status_code == 429
    assert list(AccessFailureLog.objects.values_list("username", flat=True).distinct()) == [editor.username]


def test_spellings_of_a_username_from_one_address_count_as_one_pair():
    editor = EditorFactory(username="editor")
    for spelling in [" editor", "editor ", "\uff45ditor", "editor\t", "  editor  "]:
        log_in(spelling, "203.0.113.7")

    assert log_in(editor.username, "203.0.113.7", PASSWORD).status_code == 429


def test_the_username_lock_lets_a_valid_second_factor_through(settings):
    """Anyone can trigger the per-username lock; it never locks out the owner, whose second factor passes it."""
    settings.ADMIN_REQUIRE_2FA = True
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # This test is about the lock, not django-otp's pause after a wrong code.
    editor, device = enrolled_editor()
    for n in range(3):
        log_in(editor.username, f"203.0.113.{n + 1}")
    assert log_in(editor.username, "198.51.100.99", PASSWORD, wrong_code_for(device)).status_code == 429

    response = log_in(editor.username, "198.51.100.99", PASSWORD, code_for(device))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_under_the_username_lock_a_right_password_alone_gets_the_same_answer(settings):
    settings.ADMIN_REQUIRE_2FA = True
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 3
    enrolled, _device = enrolled_editor()
    not_enrolled = EditorFactory()
    for user in (enrolled, not_enrolled):
        for n in range(3):
            log_in(user.username, f"203.0.113.{n + 1}")

    for user in (enrolled, not_enrolled):
        right, wrong = log_in(user.username, "198.51.100.99", PASSWORD), log_in(user.username, "198.51.100.98")
        assert (right.status_code, wrong.status_code) == (429, 429)
        assert right.content == wrong.content


def test_a_right_password_with_a_wrong_code_reads_as_a_wrong_password(settings):
    """Until the second factor passes, the answer says nothing about the password, and both count as failures."""
    settings.ADMIN_REQUIRE_2FA = True
    editor, device = enrolled_editor()

    right_password = log_in(editor.username, "203.0.113.7", PASSWORD, wrong_code_for(device))
    wrong_password = log_in(editor.username, "203.0.113.8", "wrong-password", wrong_code_for(device))
    right_password_no_code = log_in(editor.username, "203.0.113.9", PASSWORD)

    for response in (right_password, wrong_password, right_password_no_code):
        assert response.status_code == 200
        assert response.context["form"].errors == wrong_password.context["form"].errors
    assert "authentication code" in str(wrong_password.context["form"].errors)
    assert AccessFailureLog.objects.filter(username=editor.username).count() == 3
