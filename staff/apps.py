from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff accounts that can't be taken over: no development or common password on a production server."""

    name = "staff"
    verbose_name = "Staff accounts"

    def ready(self):
        from . import events

        events.connect()
