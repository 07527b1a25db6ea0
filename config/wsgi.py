"""WSGI entry point, used by gunicorn (`make serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ENV", "production")

application = get_wsgi_application()

# SITE_URL into the Site's domain, or a warning that it still holds a development address (config/site_url.py).
from django.db import connections  # noqa: E402

from config.site_url import apply_site_url  # noqa: E402 (needs Django set up)

apply_site_url()
connections.close_all()  # gunicorn forks its workers after this (preload_app): none may share the connection.
