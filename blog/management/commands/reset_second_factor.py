from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config import two_factor


class Command(BaseCommand):
    help = (
        "Remove a staff member's second factor (authenticator app and recovery codes) when they have lost it, and "
        "end every session of theirs: they set up a new app through a new enrolment link (manage.py enrolment_link)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        removed = two_factor.reset(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Second factor reset for {username!r} ({removed} device record(s) removed). "
                "Every session of theirs has ended. Give them a new enrolment link: manage.py enrolment_link "
                + username
            )
        )
