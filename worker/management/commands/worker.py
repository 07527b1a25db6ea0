"""`manage.py worker`: django-tasks' database worker (queued mail), plus the periodic jobs (worker.periodic)."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from worker.periodic import Scheduler


class Command(DatabaseWorkerCommand):
    help = "Run queued tasks (comment mails) and the periodic jobs (IP addresses, log-in records, sessions)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-periodic", action="store_false", dest="periodic", help="run queued tasks only, not periodic jobs"
        )

    def handle(self, *args, periodic, **options):
        # With --reload (on with DEBUG) this process only watches files; the worker runs in a child process.
        watcher_only = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if periodic and not options["batch"] and not watcher_only:
            Scheduler().start()
        super().handle(*args, **options)
