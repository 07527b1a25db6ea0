"""Whole-site backups: the PostgreSQL database (pg_dump custom format) plus uploaded media, in one .tar.gz."""

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import warnings
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

DUMP_NAME = "database.dump"
MEDIA_NAME = "media"


PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
# Session data is not backed up: restored live sessions would let whoever holds the archive sign in as staff.
EXCLUDED_TABLE_DATA = ["django_session"]


class ToolMissing(Exception):
    """No pg_dump/pg_restore new enough for the server; the message names what to install."""


def tool_major_version(path):
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"\) (\d+)", output)
    return int(match.group(1)) if match else 0


def system_tools(name):
    """The system's copies of a PostgreSQL client tool: the one on PATH, and Debian's per-version ones."""
    found = [shutil.which(name), *sorted(str(path) for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))]
    return list(dict.fromkeys(path for path in found if path))


def is_project_local_server():
    """Whether the database is the project-local development server (scripts/devdb.py runs it from .pgdata/)."""
    pgdata = Path(settings.BASE_DIR, ".pgdata").resolve()
    host = connection.settings_dict["HOST"] or connection.settings_dict["OPTIONS"].get("host", "")
    if host.startswith("/") and Path(host).resolve().is_relative_to(pgdata):
        return True
    try:  # Its socket may live elsewhere when the path is too long for one; the data folder tells.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('data_directory')")
            return Path(cursor.fetchone()[0]).resolve() == pgdata
    except DatabaseError:  # Only superusers may read it; a server that hides it is not ours.
        return False


def bundled_tool(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR, irrelevant here.
        from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def postgres_tool(name, *, server_major=None, candidates=None):
    """The newest system pg_dump/pg_restore whose major version is at least the server's.

    A pg_dump older than its server cannot dump it, and pgserver's bundled 16.2 also predates the fix for
    CVE-2024-7348 (a pg_dump race that runs SQL as the dumping user). Only the project-local development
    server in .pgdata/, which pgserver itself runs, falls back to that server's own tools.
    """
    server_major = server_major or connection.cursor().connection.server_version // 10000
    versions = {path: tool_major_version(path) for path in (system_tools(name) if candidates is None else candidates)}
    usable = [path for path, major in versions.items() if major >= server_major]
    if usable:
        return max(usable, key=versions.get)
    if candidates is None and is_project_local_server():
        return bundled_tool(name)
    found = ", ".join(f"{path} ({major})" for path, major in versions.items()) or "none"
    raise ToolMissing(
        f"{name} {server_major} or newer is needed for this PostgreSQL {server_major} server (found: {found}). "
        f"Install postgresql-client-{server_major} (Debian/Ubuntu: apt-get install postgresql-client-{server_major}, "
        "from apt.postgresql.org if your release lacks it) and run the command again."
    )


def connection_args_and_env():
    """libpq arguments and environment for the default database, as Django's own dbshell builds them."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    socket_dir = connection.settings_dict["OPTIONS"].get("host")
    env = {**os.environ, **(env or {})}
    if socket_dir and not connection.settings_dict["HOST"]:
        env["PGHOST"] = socket_dir
    return args[1:], env


def default_backup_path():
    return Path(settings.BACKUP_DIR, f"site-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")


def private_folder(folder):
    """Create the folder readable by its owner only; the backups folder itself is made so if it was not."""
    folder = Path(folder)
    existed = folder.is_dir()
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    if not existed or folder.resolve() == Path(settings.BACKUP_DIR).resolve():
        folder.chmod(PRIVATE_FOLDER)


def create_backup(path):
    """Write the archive, mode 0600 from its first byte (it holds password hashes and commenters' emails)."""
    path = Path(path)
    private_folder(path.parent)
    args, env = connection_args_and_env()
    pg_dump = postgres_tool("pg_dump")
    excluded = [f"--exclude-table-data={table}" for table in EXCLUDED_TABLE_DATA]
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work, DUMP_NAME)
        subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", *excluded, f"--file={dump}", *args], env=env, check=True
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as archive:
            archive.add(dump, arcname=DUMP_NAME)
            if Path(settings.MEDIA_ROOT).is_dir():
                archive.add(settings.MEDIA_ROOT, arcname=MEDIA_NAME)
    return path


def restore_backup(path):
    """Replace the database and media with the backup's. The caller backs up the current state first."""
    args, env = connection_args_and_env()
    pg_restore = postgres_tool("pg_restore")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        archive.extractall(work, filter="data")
        connection.close()
        subprocess.run(
            [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", f"--dbname={args[-1]}", *args[:-1], str(Path(work, DUMP_NAME))],
            env=env,
            check=True,
        )  # fmt: skip
        media = Path(work, MEDIA_NAME)
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            shutil.rmtree(media_root)
        if media.is_dir():
            shutil.copytree(media, media_root)
        else:
            media_root.mkdir(parents=True)
