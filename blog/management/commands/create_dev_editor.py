from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from authors.models import Author
from blog.backups import is_project_local_server

USERNAME = "editor"
PASSWORD = "editor"
# The other development accounts: (username, password, role group, author profile it writes as). Each password is
# its username, which staff.passwords counts as weak: a production server refuses to start while one is there.
WRITERS = [("alison", "alison", "Authors", "alison-johnson")]


class Command(BaseCommand):
    help = (
        "Development only: make sure a local 'editor' account (Editors group) and an 'alison' account (Authors group, "
        "writing as Alison Johnson) exist in the project-local .pgdata/ database, and say how to log in."
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
        created = self.account(USERNAME, PASSWORD, "Editors", email="editor@localhost")
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: log in at {site_url.rstrip('/')}{reverse('admin:index')} as '{USERNAME}'"
                + (f" with password '{PASSWORD}' (development only)." if created else " (account already there).")
            )
        )
        for username, password, group, author_slug in WRITERS:
            created = self.account(username, password, group, email=f"{username}@localhost")
            author = Author.objects.filter(slug=author_slug).first()
            if author is not None and author.user_id is None:
                author.user = get_user_model().objects.get(username=username)
                author.save(update_fields=["user"])
            writes_as = f", writing as {author.name}" if author is not None else ""
            self.stdout.write(
                f"Writer ({group}{writes_as}): '{username}'"
                + (f" with password '{password}'." if created else " (account already there).")
            )

    def account(self, username, password, group, *, email):
        """The account, made with its password and role if it is not there yet; whether it was made now."""
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": email}
        )
        if created:
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
        return created
