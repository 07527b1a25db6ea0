"""`manage.py check --deploy`: no staff account may keep a password anyone would guess first (staff.passwords)."""

from django.core.checks import Error, Tags, register

from staff.passwords import weak_staff_usernames


@register(Tags.security, deploy=True)
def staff_passwords_check(app_configs=None, **kwargs):
    return [
        Error(
            f"Staff account {username!r} has a development or common password.",
            hint="Set a new one: manage.py changepassword " + username,
            obj=username,
            id="blog.E001",
        )
        for username in weak_staff_usernames()
    ]
