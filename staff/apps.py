from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff accounts that can't be taken over: no development or common password on a production server."""

    name = "staff"
    verbose_name = "Staff accounts"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import events, roles

        events.connect()
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
