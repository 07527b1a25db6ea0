"""Articles keep their comment totals (comments.thread.recount_comments); existing articles are counted now."""

from django.db import migrations, models
from django.db.models import Count, Q


def count_existing_comments(apps, schema_editor):
    Article = apps.get_model("blog", "Article")
    ContentType = apps.get_model("contenttypes", "ContentType")
    XtdComment = apps.get_model("django_comments_xtd", "XtdComment")
    content_type = ContentType.objects.filter(app_label="blog", model="article").first()
    if content_type is None:
        return  # A new database: no comments yet.
    shown = Q(is_removed=False)
    for pk in Article.objects.values_list("pk", flat=True):
        totals = XtdComment.objects.filter(content_type=content_type, object_pk=str(pk), is_public=True).aggregate(
            comments=Count("pk", filter=shown), threads=Count("thread_id", filter=shown, distinct=True)
        )
        Article.objects.filter(pk=pk).update(comment_count=totals["comments"], comment_thread_count=totals["threads"])


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_editors_permissions_and_first_updates"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="comment_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="comments"),
        ),
        migrations.AddField(
            model_name="article",
            name="comment_thread_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="comment threads"),
        ),
        migrations.RunPython(count_existing_comments, migrations.RunPython.noop),
    ]
