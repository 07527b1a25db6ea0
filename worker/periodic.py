"""Periodic jobs, run by the task worker (`manage.py worker`) without a system cron.

A thread in each worker process looks every minute for jobs that are due (not run on any server for
`every`), and runs each under a row lock on its JobRun: a second server (or a second worker) that looks at the
same moment skips the locked job, and one that looks later sees it done. The jobs delete or clear by date,
so even a job run twice (a crash before its JobRun is saved) does no harm.
"""

import datetime
import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every: datetime.timedelta = DAY


def quietly(command, **options):
    """Run a management command without its report on standard output (the job's log line says it ran)."""
    call_command(command, stdout=io.StringIO(), **options)


def retention_days():
    return settings.COMMENTS_IP_RETENTION_DAYS


def prune_login_records():
    """django-axes' records of admin log-ins, failed log-ins and lockout counters name IP addresses too; used
    comment confirmation links are kept only while they could be valid (comments' prune_security_records)."""
    quietly("prune_security_records", days=retention_days())


JOBS = [
    # Commenters' IP addresses, and spent flood-control counters.
    Job("clear_comment_ips", lambda: quietly("clear_comment_ips")),
    Job("prune_login_records", prune_login_records),
    Job("clear_expired_sessions", lambda: quietly("clearsessions")),
    # Finished tasks keep their arguments: a sent mail's address and text.
    Job("prune_task_results", lambda: quietly("prune_db_task_results", min_age_days=retention_days())),
]


def run_if_due(job: Job, now: datetime.datetime) -> bool:
    """Run `job` unless it ran less than `job.every` ago or another process is running it. Returns whether it ran."""
    JobRun.objects.get_or_create(name=job.name)
    with transaction.atomic():
        run = (
            JobRun.objects.select_for_update(skip_locked=True)
            .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - job.every), name=job.name)
            .first()
        )
        if run is None:
            return False
        job.run()
        run.last_run_at = timezone.now()
        run.save(update_fields=["last_run_at"])
    logger.info("Periodic job %s done.", job.name)
    return True


def run_due_jobs(jobs=JOBS) -> list[str]:
    """Run every job that is due; a failing job is logged and tried again at the next look. Returns those run."""
    now = timezone.now()
    ran = []
    for job in jobs:
        try:
            if run_if_due(job, now):
                ran.append(job.name)
        except Exception:
            logger.exception("Periodic job %s failed.", job.name)
    return ran


class Scheduler(threading.Thread):
    """Looks for due jobs at start and then every `interval` seconds, beside the worker's main loop."""

    def __init__(self, interval: float = 60):
        super().__init__(name="periodic-jobs", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self):
        while True:
            close_old_connections()
            run_due_jobs()
            close_old_connections()
            if self.stopping.wait(self.interval):
                return

    def stop(self):
        self.stopping.set()
