"""Editors may manage categories, tags, images, pages and redirects; a database that already holds the
seed content records it as loaded, so load_site_content never brings back what an editor deleted."""

import json

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {
    "blog": ["category", "tag"],
    "images": ["image"],
    "pages": ["page", "historicalpage"],
    "redirects": ["redirect"],
}
# What fixtures/authors.json and fixtures/articles.json held before load_site_content kept records.
FIRST_SEED = [("authors.author", ["alison-johnson"]), ("blog.article", ["why-xiaomi-smartphones-banned-in-pakistan"])]


def editor_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    for app_label, models in EDITOR_MODELS.items():
        yield from Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)


def grant_editors(apps, schema_editor):
    for app_label in EDITOR_MODELS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    group.permissions.add(*editor_permissions(apps))


def revoke_editors(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(*editor_permissions(apps))


def record_loaded_seed(apps, schema_editor):
    """The seed was loaded if any of it is here; whatever of it is missing, an editor deleted."""
    Author = apps.get_model("authors", "Author")
    Article = apps.get_model("blog", "Article")
    if not (Author.objects.exists() or Article.objects.exists()):
        return  # A fresh database: load_site_content loads and records everything.
    SiteContentRecord = apps.get_model("blog", "SiteContentRecord")
    for model, key in FIRST_SEED:
        SiteContentRecord.objects.get_or_create(model=model, key=json.dumps(key))


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_categories_tags_images_site_content"),
        ("images", "0001_initial"),
        ("pages", "0001_initial"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_editors, revoke_editors),
        migrations.RunPython(record_loaded_seed, migrations.RunPython.noop),
    ]
