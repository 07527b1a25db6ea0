"""WSGI entry point, used by gunicorn (`make serve`).

Before serving, with the database once: SITE_URL is written into the Site's domain (config/site_url.py), and
with DEBUG off the server refuses to start while a staff account has a development or common password
(staff.passwords): a database that `make run` used holds `editor`/`editor`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ENV", "production")

application = get_wsgi_application()


def prepare_to_serve():
    from django.conf import settings
    from django.db import connections

    from config.site_url import apply_site_url
    from staff.passwords import refusal_message, weak_staff_usernames

    apply_site_url()
    weak = [] if settings.DEBUG else weak_staff_usernames()
    # gunicorn loads this module once and forks its workers (preload_app): none may inherit this connection.
    connections.close_all()
    if weak:
        print(refusal_message(weak), file=sys.stderr, flush=True)
        sys.exit(3)


prepare_to_serve()
