"""The four staff roles as groups (staff.roles): Contributors, Authors, Editors (the group every editor was already
in, kept with its members) and Administrators. After every migrate, a post_migrate receiver applies staff.roles
again, so the groups follow its definition without a new migration."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from staff.roles import sync_roles

    sync_roles(apps, schema_editor.connection.alias)


def remove_new_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Contributors", "Authors", "Administrators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_hash_recovery_codes"),
        ("blog", "0009_pending_review_and_roles"),
        ("authors", "0005_author_user"),
        ("comments", "0002_editors_blocked_words"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_roles, remove_new_roles)]
