"""Editors may use the update history and revisions; articles that already exist get both started.

Articles created later get their first update entry and revision when they are saved; this
migration only fills in articles that have none yet, so it never duplicates an entry.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

EDITOR_MODELS = ["articleupdate", "historicalarticle"]
TRACKED_FIELDS = [
    "id", "title", "slug", "author_id", "summary", "body", "status", "published_at",
    "last_updated_on", "allow_comments", "close_comments_after_days", "created",
]  # fmt: skip


def grant_editors(apps, schema_editor):
    blog = apps.get_app_config("blog")
    blog.models_module = True
    create_permissions(blog, verbosity=0)
    blog.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="blog", content_type__model__in=EDITOR_MODELS)
    )


def revoke_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="blog", content_type__model__in=EDITOR_MODELS)
        )


def start_histories(apps, schema_editor):
    Article = apps.get_model("blog", "Article")
    ArticleUpdate = apps.get_model("blog", "ArticleUpdate")
    HistoricalArticle = apps.get_model("blog", "HistoricalArticle")
    for article in Article.objects.filter(updates__isnull=True):
        ArticleUpdate.objects.create(article=article, date=article.last_updated_on)
    articles_with_revisions = HistoricalArticle.objects.values("id")
    for article in Article.objects.exclude(pk__in=articles_with_revisions):
        HistoricalArticle.objects.create(
            **{field: getattr(article, field) for field in TRACKED_FIELDS},
            history_date=article.modified or timezone.now(),
            history_type="+",
            history_change_reason="Article as it was before revisions were kept",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0003_article_history_and_updates"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_editors, revoke_editors),
        migrations.RunPython(start_histories, migrations.RunPython.noop),
    ]
