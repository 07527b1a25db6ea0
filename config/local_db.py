"""The project-local PostgreSQL for development: the `pgserver` package (it bundles the server binaries) runs a
server from the git-ignored `.pgdata/` folder, listening only on a Unix socket inside it.

Development settings call `local_database_url()` when DATABASE_URL is unset, so `python manage.py <command>`
works in a checkout: the server is started on demand, or reused when another process (`make run`, a second
`manage.py`) already runs it, and stopped when the last process using it exits. PostgreSQL refuses to run as
root: when run as root, pgserver creates a system user `pgserver` that owns `.pgdata/` and runs the server.
Imports stay inside the functions: production never loads pgserver.
"""

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
                print(f"local_db: created database {name!r}.", file=sys.stderr)
    finally:
        connection.close()


def start_local_server():
    """The running local server (started now if needed) and its URL. It stays up while this process lives."""
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and falls back to /tmp.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    # "stop" shuts the server down when the last process using it exits.
    server = pgserver.get_server(PGDATA, cleanup_mode="stop")
    return server, server.get_uri(LOCAL_DATABASE)


def local_database_url():
    """The URL of the local development database, with the server running and the database created."""
    _server, url = start_local_server()
    ensure_database(url)
    return url
