"""Admin log-in lockouts beyond django-axes' own (5 failures per username and address, config/settings.py).

Usernames are counted as Django's log-in form reads them (UsernameField: spaces stripped, Unicode NFKC), so
" editor", "editor " and "ｅditor", which all sign in as `editor`, count as one (django-axes too, through
AXES_USERNAME_CALLABLE).

django-axes applies one failure limit to every parameter it locks on, so the two wider locks are counted here,
from its failure log (AXES_ENABLE_ACCESS_FAILURE_LOG), by the same client network (config.client_ip.client_network):
- per address across usernames: one client trying a few passwords on every account. Refused before the password
  is checked; it locks out only the client that tried.
- per username across addresses: a botnet guessing one account's password. It counts whatever username was typed
  (its answer is the same whether the account exists or not), and anyone can trigger it, so it never locks the
  owner out: while it holds, only a sign-in that also passes the second factor gets through
  (config.two_factor.TwoFactorAuthenticationForm); every other attempt, right password or not, gets the same 429.
"""

import datetime

from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.utils import timezone

from .client_ip import client_network

USERNAME_MAX_LENGTH = 150


def normalise_username(raw):
    """The username as Django's log-in form reads it (stripped, NFKC), so every spelling of one account counts once."""
    return UsernameField(max_length=USERNAME_MAX_LENGTH).to_python(raw or "")[:USERNAME_MAX_LENGTH]


def axes_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: django-axes records and locks the normalised username."""
    raw = credentials.get("username") if credentials else getattr(request, "POST", {}).get("username")
    return normalise_username(raw)


def failures_since(hours, **lookup):
    since = timezone.now() - datetime.timedelta(hours=hours)
    return AccessFailureLog.objects.filter(attempt_time__gte=since, **lookup).count()


def username_locked(username):
    limit, hours = settings.LOGIN_USERNAME_FAILURE_LIMIT, settings.LOGIN_USERNAME_LOCK_HOURS
    username = normalise_username(username)
    return bool(username) and failures_since(hours, username=username) >= limit


def address_locked(network):
    limit, hours = settings.LOGIN_ADDRESS_FAILURE_LIMIT, settings.LOGIN_ADDRESS_LOCK_HOURS
    return bool(network) and failures_since(hours, ip_address=network) >= limit


def address_locked_out(request):
    """Whether this client is refused before its password is even checked."""
    return address_locked(client_network(request))


def username_locked_for(request):
    """Whether the typed account is under the per-username lock: only a second factor passes it."""
    return username_locked(request.POST.get("username", ""))
