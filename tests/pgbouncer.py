"""Run a real PgBouncer (Debian's `pgbouncer`) in transaction pooling mode in front of the test database."""

import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from tests.servers import free_port, listening

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def _run_as_user(socket_dir):
    """PgBouncer refuses to run as root: as root, run it as the user that may reach PostgreSQL."""
    if os.geteuid() != 0:
        return None
    if socket_dir:
        return pwd.getpwuid(Path(socket_dir).stat().st_uid).pw_name
    return "nobody"


@contextmanager
def pgbouncer():
    """Yields a DATABASE_URL that reaches the test database through PgBouncer (pool_mode = transaction)."""
    if not Path(PGBOUNCER).exists():
        raise RuntimeError("pgbouncer is not installed: apt-get install pgbouncer (.ci/run does)")
    db = connection.settings_dict
    socket_dir = db["OPTIONS"].get("host") if not db["HOST"] else None
    upstream = f"host={socket_dir or db['HOST']} port={db['PORT'] or 5432}"
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    work.chmod(0o755)
    (work / "users.txt").write_text(f'"{db["USER"]}" ""\n')
    (work / "pgbouncer.ini").write_text(
        f"""[databases]
* = {upstream}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {work / "users.txt"}
pool_mode = transaction
max_client_conn = 200
default_pool_size = 5
ignore_startup_parameters = extra_float_digits,options
"""
    )
    for path in work.iterdir():
        path.chmod(0o644)
    user = _run_as_user(socket_dir)
    command = [PGBOUNCER, str(work / "pgbouncer.ini")]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    try:
        with listening(subprocess.Popen(command), port):
            yield f"postgresql://{db['USER']}@127.0.0.1:{port}/{db['NAME']}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
