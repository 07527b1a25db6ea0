from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from blog.backups import is_project_local_server

USERNAME = "editor"
PASSWORD = "editor"


class Command(BaseCommand):
    help = (
        "Development only: make sure a local 'editor' account (Editors group) exists in the project-local .pgdata/ "
        "database, and say how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url", default="", help="where the site is served (make run: http://HOST:PORT), for the login URL"
        )

    def handle(self, *args, site_url, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a development account with DEBUG off.")
        if not is_project_local_server():
            # `make run` with DATABASE_URL (and `make backup`/`restore`, which run with DEBUG=1) may point at a
            # real database: a known password there would open its admin.
            self.stdout.write(
                "No development 'editor' account: the database is not the project-local one in .pgdata/ "
                "(DATABASE_URL is set). Create an account with manage.py createsuperuser."
            )
            return
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "email": "editor@localhost"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name="Editors"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: log in at {site_url.rstrip('/')}{reverse('admin:index')} as '{USERNAME}'"
                + (f" with password '{PASSWORD}' (development only)." if created else " (account already there).")
            )
        )
