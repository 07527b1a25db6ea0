"""Renditions are now named with the original's extension (images.renditions.rendition_name): make them for every
stored image under the new names. Files that cannot be read are skipped (the image keeps its original)."""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)


def make_renditions(apps, schema_editor):
    from images.renditions import create_renditions

    for name in apps.get_model("images", "Image").objects.exclude(file="").values_list("file", flat=True):
        try:
            create_renditions(name)
        except (OSError, ValueError) as error:
            logger.warning("No renditions for %s: %s", name, error)


class Migration(migrations.Migration):
    dependencies = [("images", "0003_image_gif")]

    operations = [migrations.RunPython(make_renditions, migrations.RunPython.noop)]
