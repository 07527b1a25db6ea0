import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

from blog.models import SiteContentRecord

DEFAULT_FIXTURES = ["authors.json", "taxonomy.json", "articles.json", "pages.json"]


def record_key(instance):
    """How the record names a fixture object: its natural key, else its primary key, as JSON."""
    key = list(instance.natural_key()) if hasattr(instance, "natural_key") else instance.pk
    return json.dumps(key, ensure_ascii=False)


class Command(BaseCommand):
    help = (
        "Load the site's starting content from fixtures/, once per database: each object is created the first "
        "time and recorded. Objects that exist are left exactly as editors made them, and recorded objects an "
        "editor has since deleted stay deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", default=DEFAULT_FIXTURES)

    @transaction.atomic
    def handle(self, *args, fixtures, verbosity, **options):
        created = kept = 0
        for name in fixtures:
            path = Path(name) if Path(name).is_absolute() else Path(settings.BASE_DIR, "fixtures", name)
            with path.open(encoding="utf-8") as stream:
                # A reference to an object an editor deleted (a tag) is left out rather than an error.
                for item in serializers.deserialize("json", stream, handle_forward_references=True):
                    instance = item.object
                    _, first_time = SiteContentRecord.objects.get_or_create(
                        model=instance._meta.label_lower, key=record_key(instance)
                    )
                    exists = instance.pk is not None and type(instance).objects.filter(pk=instance.pk).exists()
                    if not first_time or exists:
                        kept += 1
                        continue
                    # A full save (not loaddata's raw one), so derived fields such as body_html are built.
                    instance.save()
                    for field_name, values in item.m2m_data.items():
                        getattr(instance, field_name).set(values)
                    created += 1
        if verbosity:
            self.stdout.write(f"Site content: {created} created, {kept} loaded before and left as editors left them.")
