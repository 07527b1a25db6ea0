from django.core.management.base import BaseCommand

from config.site_url import apply_site_url


class Command(BaseCommand):
    help = (
        "Write SITE_URL's host into the Site's domain (app servers do it as they start), or say that the Site still "
        "holds a development address."
    )

    def handle(self, *args, **options):
        self.stdout.write(apply_site_url())
