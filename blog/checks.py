"""`manage.py check --deploy`: no staff account may keep a password anyone would guess first."""

import gzip

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

# How many of Django's common passwords (most common first) are tried against each staff account: each try is a
# full password hash, so the whole 20,000-entry list would take hours; the head of it is what attackers try first.
COMMON_PASSWORDS_TRIED = 25
DEV_PASSWORD = "editor"


def common_head(count=COMMON_PASSWORDS_TRIED):
    """The most common passwords, in the order of Django's list (most common first)."""
    with gzip.open(CommonPasswordValidator().DEFAULT_PASSWORD_LIST_PATH, "rt", encoding="utf-8") as lines:
        return [line.strip() for _, line in zip(range(count), lines, strict=False)]


@register(Tags.security, deploy=True)
def staff_passwords_check(app_configs=None, **kwargs):
    try:
        staff = list(get_user_model().objects.filter(is_staff=True, is_active=True))
    except DatabaseError:
        return []  # No database yet (a check before migrate); nothing to say about accounts.
    errors = []
    for user in staff:
        if not user.has_usable_password():
            continue
        for password in [DEV_PASSWORD, user.get_username(), *common_head()]:
            if check_password(password, user.password):
                errors.append(
                    Error(
                        f"Staff account {user.get_username()!r} has a common password.",
                        hint="Set a new one: manage.py changepassword " + user.get_username(),
                        obj=user.get_username(),
                        id="blog.E001",
                    )
                )
                break
    return errors
