"""Whole-site backups: the PostgreSQL database (pg_dump custom format) plus uploaded media, in one .tar.gz."""

import os
import shutil
import subprocess
import tarfile
import tempfile
import warnings
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

DUMP_NAME = "database.dump"
MEDIA_NAME = "media"


def postgres_tool(name):
    """pg_dump/pg_restore: the bundled (pgserver, PostgreSQL 16) ones, which handle servers up to 16."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR, irrelevant here.
        from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


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


def create_backup(path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = connection_args_and_env()
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work, DUMP_NAME)
        subprocess.run(
            [postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", *args], env=env, check=True
        )
        with tarfile.open(path, "w:gz") as archive:
            archive.add(dump, arcname=DUMP_NAME)
            if Path(settings.MEDIA_ROOT).is_dir():
                archive.add(settings.MEDIA_ROOT, arcname=MEDIA_NAME)
    return path


def restore_backup(path):
    """Replace the database and media with the backup's. The caller backs up the current state first."""
    args, env = connection_args_and_env()
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        archive.extractall(work, filter="data")
        connection.close()
        subprocess.run(
            [postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
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
