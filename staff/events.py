"""Sign-in events as structured log lines (logger `staff.signin`; JSON lines in production, config.logging): sign-in,
failed sign-in, lockout, sign-out, second factor enrolled, second factor reset, recovery code used.

Each line names the event, the username (as the log-in form reads it) and the client's network
(config.client_ip.client_network), never a password or a code."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from config.client_ip import client_network
from config.login_limits import normalise_username

logger = logging.getLogger("staff.signin")


def log_event(event: str, *, username: str = "", request=None, **fields) -> None:
    data = {"event": event, "username": normalise_username(username)}
    if request is not None:
        data["client"] = client_network(request)
    data.update(fields)
    logger.info("sign-in event: %s", event, extra={"fields": data})


def second_factor_of(user):
    """What passed the second factor: the django-otp device the log-in form verified, or a passkey (a passwordless
    sign-in, config.passkeys: its device is recorded just after the sign-in)."""
    if getattr(user, "backend", "").endswith("WebAuthnBackend"):
        return "passkey"
    device = getattr(user, "otp_device", None)
    return type(device).__name__ if device is not None else "none"


def signed_in(sender, request, user, **kwargs):
    log_event("sign-in", username=user.get_username(), request=request, second_factor=second_factor_of(user))


def sign_in_failed(sender, credentials, request=None, **kwargs):
    log_event("sign-in failed", username=(credentials or {}).get("username", ""), request=request)


def signed_out(sender, request, user, **kwargs):
    log_event("sign-out", username=user.get_username() if user is not None else "", request=request)


def locked_out(sender, request, username, ip_address, **kwargs):
    log_event("locked out", username=username or "", request=request, lock="username and address")


def connect():
    user_logged_in.connect(signed_in, dispatch_uid="staff.events.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="staff.events.sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid="staff.events.signed_out")
    user_locked_out.connect(locked_out, dispatch_uid="staff.events.locked_out")
