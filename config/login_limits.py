"""Admin log-in lockouts beyond django-axes' own (5 failures per username and address, config/settings.py).

django-axes applies one failure limit to every parameter it locks on, so the two wider locks are counted here,
from its failure log (AXES_ENABLE_ACCESS_FAILURE_LOG), by the same client network (config.client_ip.client_network):
- per username across addresses: a slower, longer lock against a botnet guessing one account's password. It
  counts whatever username was typed, so its answer is the same whether the account exists or not;
- per address across usernames: one client trying a few passwords on every account.
"""

import datetime

from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone

from .client_ip import client_network


def failures_since(hours, **lookup):
    since = timezone.now() - datetime.timedelta(hours=hours)
    return AccessFailureLog.objects.filter(attempt_time__gte=since, **lookup).count()


def username_locked(username):
    limit, hours = settings.LOGIN_USERNAME_FAILURE_LIMIT, settings.LOGIN_USERNAME_LOCK_HOURS
    return bool(username) and failures_since(hours, username=username) >= limit


def address_locked(network):
    limit, hours = settings.LOGIN_ADDRESS_FAILURE_LIMIT, settings.LOGIN_ADDRESS_LOCK_HOURS
    return bool(network) and failures_since(hours, ip_address=network) >= limit


def locked_out(request):
    """Whether this log-in attempt is refused before the password is even checked."""
    username = request.POST.get("username", "")[:150]
    return username_locked(username) or address_locked(client_network(request))
