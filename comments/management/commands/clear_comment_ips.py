"""Forget comments' IP addresses older than COMMENTS_IP_RETENTION_DAYS, and spent flood counters (run daily)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from comments.models import PostingCounter


class Command(BaseCommand):
    help = "Clear the stored IP address of comments older than COMMENTS_IP_RETENTION_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override COMMENTS_IP_RETENTION_DAYS")

    def handle(self, *args, days, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - datetime.timedelta(days=days)
        cleared = XtdComment.norel_objects.filter(submit_date__lt=cutoff, ip_address__isnull=False).update(
            ip_address=None
        )
        # Flood-control counters name IPs and emails too; they are useless once their window and the next
        # (which still weighs them, comments.ratelimit) are over.
        window = datetime.timedelta(seconds=settings.COMMENTS_RATE_LIMIT_WINDOW)
        PostingCounter.objects.filter(window_start__lt=timezone.now() - 2 * window).delete()
        self.stdout.write(f"Cleared the IP address of {cleared} comment{'s' if cleared != 1 else ''}.")
