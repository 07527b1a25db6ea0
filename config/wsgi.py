"""WSGI entry point, used by gunicorn (`make serve`).

With DEBUG off it refuses to start while a staff account has a development or common password
(staff.passwords): a database that `make run` used holds `editor`/`editor`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ENV", "production")

application = get_wsgi_application()


def refuse_weak_staff_passwords():
    from django.conf import settings
    from django.db import connections

    from staff.passwords import refusal_message, weak_staff_usernames

    if settings.DEBUG:
        return
    weak = weak_staff_usernames()
    # gunicorn loads this module once and forks its workers: none may inherit this connection.
    connections.close_all()
    if weak:
        print(refusal_message(weak), file=sys.stderr, flush=True)
        sys.exit(3)


refuse_weak_staff_passwords()
