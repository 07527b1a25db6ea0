"""Run a command with a PostgreSQL database available in DATABASE_URL.

    python scripts/devdb.py [--url] -- COMMAND [ARGS...]

With DATABASE_URL set, that server is used as it is (the database is created if missing).
Without it, a project-local PostgreSQL (the `pgserver` package, which bundles the
binaries) runs from the git-ignored `.pgdata/` folder for as long as the command runs,
listening only on a Unix socket inside that folder, and is stopped afterwards unless
another command still uses it. PostgreSQL refuses to run as root: when run as root,
pgserver creates a system user `pgserver` that owns `.pgdata/` and runs the server.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".pgdata"
LOCAL_DATABASE = "blog"


def ensure_database(url):
    """Create the database named in `url` if it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance_url = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(maintenance_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"devdb: created database {name!r}.", file=sys.stderr)
    finally:
        connection.close()


def start_local_server():
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and falls back to /tmp.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    # "stop" shuts the server down when the last process using it exits.
    server = pgserver.get_server(PGDATA, cleanup_mode="stop")
    return server, server.get_uri(LOCAL_DATABASE)


def main(argv):
    if "--" not in argv:
        sys.exit(__doc__)
    command = argv[argv.index("--") + 1 :]
    env = dict(os.environ)
    server = None
    if env.get("DATABASE_URL"):
        url = env["DATABASE_URL"]
    else:
        server, url = start_local_server()
        env["DATABASE_URL"] = url
    ensure_database(url)
    if not command:
        print(url)
        return 0

    child = subprocess.Popen(command, env=env)

    def forward(signum, frame):
        child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    code = child.wait()
    if server is not None:
        server.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
