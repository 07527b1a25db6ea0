from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config import two_factor
from config.site_url import site_link


class Command(BaseCommand):
    help = (
        "Print a single-use link with which a staff member sets up two-factor sign-in (an authenticator app): "
        "without one, a staff account with no second factor cannot sign in, whoever knows its password. "
        "Give the link to its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--site-url", default="", help="the site's address (default: the Site's domain)")

    def handle(self, *args, username, site_url, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if not (user.is_active and user.is_staff):
            raise CommandError(f"{username!r} is not an active staff account (tick 'Staff status' first).")
        if not user.has_usable_password():
            raise CommandError(f"{username!r} has no password yet: set one first (manage.py changepassword).")
        path = two_factor.enrolment_path(user)
        link = f"{site_url.rstrip('/')}{path}" if site_url else site_link(path)
        self.stdout.write(link)
        self.stderr.write(
            f"The link works once, for {settings.ENROLMENT_LINK_HOURS} hours, and asks for the password of "
            f"{username!r} and a code from the authenticator app it sets up."
        )
