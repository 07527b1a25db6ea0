"""Flood control counted in PostgreSQL, so every gunicorn worker and server shares the same counts."""

import datetime
import ipaddress
import math

from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.client_ip import client_ip as config_client_ip
from config.client_ip import network_of

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


def seconds_to_wait(current, previous, elapsed, window, limit):
    """0 if a post is within the limit, else the seconds until the client's next post would be.

    A sliding window: the rate is the posts counted in this fixed window (`current`, this one included) plus
    those of the previous window weighted by how much of it still lies within the last `window` seconds
    (`elapsed` seconds of this window have passed). Fixed windows alone would let twice the limit through
    in a burst across a window's edge.
    """
    if current + previous * (1 - elapsed / window) <= limit:
        return 0
    if previous and current + 1 <= limit:
        # Later in this window, once enough of the previous window has slid out.
        moment = window * (1 - (limit - current - 1) / previous)
    elif limit >= 1:
        # In the next window, once enough of this one has slid out.
        moment = window + window * max(0, 1 - (limit - 1) / current)
    else:
        moment = window
    return max(1, math.ceil(round(moment - elapsed, 6)))  # round: 60 * (1 - 1/3) is 40.000000000000007


def register_posting(*, ip, email):
    """Count one comment for the IP and the email; return seconds to wait if either is over the limit, else 0."""
    window = settings.COMMENTS_RATE_LIMIT_WINDOW
    now = timezone.now()
    epoch = math.floor(now.timestamp())
    window_start = datetime.datetime.fromtimestamp(epoch - epoch % window, tz=datetime.UTC)
    previous_start = window_start - datetime.timedelta(seconds=window)
    keys = [f"email:{email.lower()}"] + ([f"ip:{network_of(ip)}"] if ip else [])  # IPv6: the client's /64.
    counts = {key: _increment(key, window_start) for key in keys}
    previous = dict(
        PostingCounter.objects.filter(key__in=keys, window_start=previous_start).values_list("key", "count")
    )
    PostingCounter.objects.filter(window_start__lt=previous_start).delete()
    elapsed = (now - window_start).total_seconds()
    limit = settings.COMMENTS_RATE_LIMIT
    return max(seconds_to_wait(counts[key], previous.get(key, 0), elapsed, window, limit) for key in keys)
