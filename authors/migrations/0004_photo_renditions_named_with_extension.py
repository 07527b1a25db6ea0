"""Author photos' renditions are now named with the photo's extension, as library images' are
(images.renditions.rendition_name): make them for every stored photo under the new names. The old ones stay, for
pages cached before the deploy. Files that cannot be read are skipped (the photo keeps its original)."""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)


def make_renditions(apps, schema_editor):
    from images.renditions import create_square_renditions

    for name in apps.get_model("authors", "Author").objects.exclude(photo="").values_list("photo", flat=True):
        try:
            create_square_renditions(name)
        except (OSError, ValueError) as error:
            logger.warning("No renditions for %s: %s", name, error)


class Migration(migrations.Migration):
    dependencies = [("authors", "0003_photo_formats")]

    operations = [migrations.RunPython(make_renditions, migrations.RunPython.noop)]
