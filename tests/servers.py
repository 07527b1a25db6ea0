"""Start the real production-style server (gunicorn, DEBUG off) against the test database.

Used by tests that need real HTTP across processes: bursts of readers, several app servers,
PgBouncer, browsers. Data must be committed to be seen, so such tests use
`@pytest.mark.django_db(transaction=True, serialized_rollback=True)`.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict=None):
    """A DATABASE_URL for the database the tests use right now (the test database)."""
    db = settings_dict or connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host, port = db["HOST"], db["PORT"]
    socket_dir = db["OPTIONS"].get("host")
    if socket_dir and not host:
        return f"postgresql://{credentials}@/{db['NAME']}?host={quote(socket_dir)}"
    return f"postgresql://{credentials}@{host}:{port or 5432}/{db['NAME']}"


def wait_for_port(port, process, timeout=15):
    """Wait until something accepts connections on 127.0.0.1:port (and `process` is still running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")


@contextmanager
def listening(process, port):
    """Wait until `process` accepts connections on 127.0.0.1:`port`; stop it on leaving."""
    try:
        wait_for_port(port, process)
        yield
    finally:
        stop(process)


def wait_until_healthy(base_url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {base_url} was not healthy within {timeout} s")


@contextmanager
def production_server(*, workers=2, db_url=None, extra_env=None):
    """Run gunicorn on a free 127.0.0.1 port; yields its base URL and stops it afterwards."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "ALLOW_INSECURE_HTTP": "1",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": db_url or database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # A page cache of its own in the tests' Redis: pages another test's server kept there under the same
        # addresses would otherwise be served here (this test's writes invalidate only its own prefix).
        "CACHE_KEY_PREFIX": f"server-{uuid.uuid4().hex}",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "config/gunicorn.conf.py", "--log-level", "warning"],
        cwd=settings.BASE_DIR,
        env={**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers), "ACCESS_LOG": "0"},
        start_new_session=True,  # The server and its workers, in a process group of their own.
    )
    try:
        wait_until_healthy(base_url, process)
        yield base_url
    finally:
        # At once, workers included: the test is over, and a graceful stop waits on each worker.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if env.get("REDIS_URL"):
            forget_keys(env["REDIS_URL"], env["CACHE_KEY_PREFIX"])


def forget_keys(redis_url, prefix):
    """Delete what a server stored in Redis under `prefix`."""
    client = redis.Redis.from_url(redis_url)
    try:
        if keys := list(client.scan_iter(match=f"{prefix}:*", count=1000)):
            client.delete(*keys)
    finally:
        client.close()


def stop(process, timeout=10):
    """Ask a server to stop; kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
