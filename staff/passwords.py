"""Development and common passwords on staff accounts: found by `check --deploy` (blog.E001) and refused at server
start with DEBUG off (config/wsgi.py), so the `editor`/`editor` account of `make run` never serves production.

A password is weak when it is the development password, the username, or one of the passwords attackers try
first. When a password is set through Django (createsuperuser, changepassword, the admin, set_password and save),
its plain text is checked against the whole common-password list at once (RecordPasswordStrength, a password
validator); a password set some other way is checked against its hash once, and the answer kept."""

import gzip
import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.db import DatabaseError
from django.db.models import Q

from .models import PasswordVerdict

# The password `make run` gives its local account (blog.management.commands.create_dev_editor).
DEV_PASSWORD = "editor"
# How many of Django's common passwords (most common first) are tried against a stored hash: each try is a full
# password hash (about half a second), so the whole 20,000-entry list would take hours; the head of it is what
# attackers try first.
COMMON_PASSWORDS_TRIED = 25


def common_head(count=COMMON_PASSWORDS_TRIED):
    """The most common passwords, in the order of Django's list (most common first)."""
    with gzip.open(CommonPasswordValidator().DEFAULT_PASSWORD_LIST_PATH, "rt", encoding="utf-8") as lines:
        return [line.strip() for _, line in zip(range(count), lines, strict=False)]


def digest(user):
    return hashlib.sha256(user.password.encode()).hexdigest()


def guesses(user):
    return [DEV_PASSWORD, user.get_username(), *common_head()]


def is_weak_plain(password, user):
    """Whether a password given in plain text is one anyone would guess (the whole common list)."""
    lowered = password.lower().strip()
    return lowered in {DEV_PASSWORD, user.get_username().lower()} or lowered in CommonPasswordValidator().passwords


def has_weak_password(user):
    """Whether the user's stored password is weak: the kept verdict for this hash, else checked now and kept."""
    if not user.has_usable_password():
        return False
    current = digest(user)
    verdict = PasswordVerdict.objects.filter(user=user, password_digest=current).first()
    if verdict is not None:
        return verdict.weak
    weak = any(check_password(guess, user.password) for guess in guesses(user))
    PasswordVerdict.objects.update_or_create(user=user, defaults={"password_digest": current, "weak": weak})
    return weak


def staff_accounts():
    return get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True).order_by("pk")


def weak_staff_usernames():
    """Usernames of active staff and superuser accounts with a weak password (none before migrate)."""
    try:
        return [user.get_username() for user in staff_accounts() if has_weak_password(user)]
    except DatabaseError:
        return []  # No database or no tables yet (a check before migrate): nothing to say about accounts.


def refusal_message(usernames):
    names = ", ".join(repr(name) for name in usernames)
    fixes = "; ".join(f"manage.py changepassword {name}" for name in usernames)
    return (
        f"Refusing to serve with DEBUG off: staff account(s) {names} have a development or common password "
        f"(such as 'editor' from `make run`). Set a strong password ({fixes}), or remove the account or its staff "
        "status, then start again."
    )


class RecordPasswordStrength:
    """A password validator that refuses nothing: when a password is set, it records whether it is weak, from the
    plain text, so that a server start need not check the hash."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordVerdict.objects.update_or_create(
            user=user, defaults={"password_digest": digest(user), "weak": is_weak_plain(password, user)}
        )

    def get_help_text(self):
        return "Your password can’t be the development password “editor”."
