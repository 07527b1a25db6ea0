"""Queued tasks run in the test's process, as `manage.py worker` runs them."""

from django_tasks_db.management.commands.db_worker import Worker


def run_queued_tasks():
    """Run every task that is ready, as `manage.py worker` does, in this process, then return."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    ).run()
