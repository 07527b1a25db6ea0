"""Flood control counted in PostgreSQL, so every gunicorn worker and server shares the same counts."""

import datetime
import ipaddress
import math

from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.client_ip import client_ip as config_client_ip

from .models import PostingCounter


def client_ip(request):
    """The client's address (see config.client_ip: proxies are trusted only per NUM_PROXIES), or None if invalid."""
    try:
        return str(ipaddress.ip_address(config_client_ip(request)))
    except ValueError:
        return None


def _increment(key, window_start):
    """Add one to the key's counter for this window, atomically, and return the new count."""
    table = PostingCounter._meta.db_table
    sql = (
        f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 (our own table name)
        f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window_start])
        return cursor.fetchone()[0]


def register_posting(*, ip, email):
    """Count one comment for the IP and the email; return seconds to wait if either is over the limit, else 0."""
    window = settings.COMMENTS_RATE_LIMIT_WINDOW
    now = timezone.now()
    epoch = math.floor(now.timestamp())
    window_start = datetime.datetime.fromtimestamp(epoch - epoch % window, tz=datetime.UTC)
    keys = [f"email:{email.lower()}"] + ([f"ip:{ip}"] if ip else [])
    counts = [_increment(key, window_start) for key in keys]
    PostingCounter.objects.filter(window_start__lt=window_start - datetime.timedelta(seconds=window)).delete()
    if max(counts) > settings.COMMENTS_RATE_LIMIT:
        return max(1, math.ceil((window_start + datetime.timedelta(seconds=window) - now).total_seconds()))
    return 0
