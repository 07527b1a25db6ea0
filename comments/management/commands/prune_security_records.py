"""Forget login records (django-axes) older than LOGIN_RECORDS_RETENTION_DAYS and used confirmation links that
have expired anyway (run daily, beside clear_comment_ips)."""

import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.services import prune_used_confirmations


def prune_login_records(*, days: int, now: datetime.datetime | None = None) -> int:
    """Delete successful and failed log-ins (usernames, addresses, browsers) older than `days` days; returns how
    many. Lock-outs last hours (config/login_limits.py), so nothing they count is lost."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted = 0
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        deleted += model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted


class Command(BaseCommand):
    help = "Delete login records older than LOGIN_RECORDS_RETENTION_DAYS days and expired used confirmation links."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override LOGIN_RECORDS_RETENTION_DAYS")

    def handle(self, *args, days, **options):
        days = settings.LOGIN_RECORDS_RETENTION_DAYS if days is None else days
        logins = prune_login_records(days=days)
        links = prune_used_confirmations()
        self.stdout.write(f"Deleted {logins} login record(s) older than {days} days and {links} used link(s).")
