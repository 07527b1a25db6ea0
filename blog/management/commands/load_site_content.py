from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

DEFAULT_FIXTURES = ["authors.json", "articles.json"]


class Command(BaseCommand):
    help = (
        "Load the site's starting content from fixtures/: objects that are not there yet are "
        "created; objects that exist (matched by slug) are left exactly as editors made them."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", default=DEFAULT_FIXTURES)

    @transaction.atomic
    def handle(self, *args, fixtures, verbosity, **options):
        created = kept = 0
        for name in fixtures:
            path = Path(name) if Path(name).is_absolute() else Path(settings.BASE_DIR, "fixtures", name)
            with path.open(encoding="utf-8") as stream:
                for item in serializers.deserialize("json", stream, handle_forward_references=False):
                    instance = item.object
                    if instance.pk is not None and type(instance).objects.filter(pk=instance.pk).exists():
                        kept += 1
                        continue
                    # A full save (not loaddata's raw one), so derived fields such as body_html are built.
                    instance.save()
                    created += 1
        if verbosity:
            self.stdout.write(f"Site content: {created} created, {kept} already present and left untouched.")
