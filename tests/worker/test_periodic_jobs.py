"""The periodic jobs the task worker runs without a cron (worker.periodic): each forgets what it should, runs
once a day across every server, and two runners at once (threads, or two `manage.py worker` processes) do each
job once."""

import datetime
import os
import subprocess
import sys
import threading
import time

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.comment_factories import CommentFactory
from tests.conftest import CLOCK_AHEAD_DAYS
from tests.servers import database_url
from worker.mail import send_email
from worker.models import JobRun
from worker.periodic import JOBS, Job, run_due_jobs

JOB_NAMES = [job.name for job in JOBS]


@pytest.fixture
def old_and_recent_records(article, settings):
    """Records naming people, one older than the retention period and one recent of each kind."""
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    long_ago = timezone.now() - datetime.timedelta(days=31)
    records = {
        "old_comment": CommentFactory(article=article, ip_address="192.0.2.1", submit_date=long_ago),
        "recent_comment": CommentFactory(article=article, ip_address="192.0.2.2"),
    }
    for model, fields in ((AccessLog, {}), (AccessFailureLog, {}), (AccessAttempt, {"failures_since_start": 1})):
        old = model.objects.create(username="eve", ip_address="192.0.2.3", **fields)
        model.objects.filter(pk=old.pk).update(attempt_time=long_ago)
        records[f"old_{model.__name__}"] = old
        records[f"recent_{model.__name__}"] = model.objects.create(username="eve", ip_address="192.0.2.4", **fields)
    for name, expiry in (("expired_session", -1), ("live_session", 3600)):
        session = SessionStore()
        session.set_expiry(expiry)
        session.create()
        records[name] = session.session_key
    sent = send_email.enqueue(subject="Hi", body="Hello.", to=["grace@example.com"], kind="test")
    DBTaskResult.objects.filter(pk=sent.id).update(status="SUCCESSFUL", finished_at=long_ago)
    records["old_task"] = sent.id
    return records


def assert_old_records_forgotten(records):
    records["old_comment"].refresh_from_db()
    records["recent_comment"].refresh_from_db()
    assert records["old_comment"].ip_address is None
    assert records["recent_comment"].ip_address == "192.0.2.2"
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert not model.objects.filter(pk=records[f"old_{model.__name__}"].pk).exists()
        assert model.objects.filter(pk=records[f"recent_{model.__name__}"].pk).exists()
    assert not Session.objects.filter(session_key=records["expired_session"]).exists()
    assert Session.objects.filter(session_key=records["live_session"]).exists()
    assert not DBTaskResult.objects.filter(pk=records["old_task"]).exists()


@pytest.mark.django_db
def test_jobs_forget_what_is_older_than_the_retention_period(old_and_recent_records):
    assert run_due_jobs() == JOB_NAMES

    assert_old_records_forgotten(old_and_recent_records)


@pytest.mark.django_db
def test_a_job_runs_once_a_day():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert run_due_jobs() == JOB_NAMES
        traveller.shift(datetime.timedelta(hours=23))
        assert run_due_jobs() == []
        traveller.shift(datetime.timedelta(hours=1))
        assert run_due_jobs() == JOB_NAMES


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_tried_again_without_stopping_the_others(caplog):
    def broken():
        raise RuntimeError("disk full")

    jobs = [Job("broken", broken), Job("fine", lambda: None)]

    assert run_due_jobs(jobs) == ["fine"]
    assert "Periodic job broken failed." in caplog.text
    assert JobRun.objects.get(name="broken").last_run_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runners_at_once_run_a_job_once():
    """The second runner looks while the first is in the middle of the job: it skips it, and does not wait."""
    inside, second_done = threading.Event(), threading.Event()
    runs = []

    def job():
        runs.append(threading.current_thread().name)
        inside.set()
        assert second_done.wait(10)

    jobs = [Job("slow", job)]
    results = {}

    def runner(name):
        try:
            results[name] = run_due_jobs(jobs)
        finally:
            close_old_connections()

    first = threading.Thread(target=runner, args=("first",), name="first")
    first.start()
    assert inside.wait(10)
    runner("second")
    second_done.set()
    first.join(10)

    assert results == {"first": ["slow"], "second": []}
    assert runs == ["first"]


@pytest.mark.skipif(CLOCK_AHEAD_DAYS, reason="its worker processes run on the real clock, not the test's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_worker_processes_started_together_do_each_job_once(old_and_recent_records):
    env = {**os.environ, "DATABASE_URL": database_url(), "LOG_LEVEL": "INFO"}
    command = [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    workers = [
        subprocess.Popen(command, cwd=django_settings.BASE_DIR, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while JobRun.objects.filter(last_run_at__isnull=False).count() < len(JOBS) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for worker in workers:
            worker.terminate()
        logs = "".join(worker.communicate(timeout=10)[1] for worker in workers)

    for name in JOB_NAMES:
        assert logs.count(f"Periodic job {name} done.") == 1, logs
    assert "failed" not in logs
    assert_old_records_forgotten(old_and_recent_records)
