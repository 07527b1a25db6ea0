"""docs/deploy.md's production commands, run as written: a release's migrate and content, then an app server's
collectstatic and gunicorn, with SITE_URL set; the site then answers on its public host with links to it.

Only two things are changed: the virtualenv line is not run (this one is in use; no network here), and gunicorn
binds a free port instead of 8000. The server runs on plain HTTP, so ALLOW_INSECURE_HTTP is set as `make serve`
sets it.
"""

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sites.models import Site

from tests.servers import database_url, free_port, wait_until_healthy

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DEPLOY_DOC = Path(settings.BASE_DIR, "docs", "deploy.md")
VENV_LINE = "python -m venv .venv && .venv/bin/pip install -r requirements.txt"


def release_commands():
    """The shell lines of the fenced blocks under "## Deploying a release", comments and `export` left out."""
    section = DEPLOY_DOC.read_text().split("## Deploying a release", 1)[1].split("\n## ", 1)[0]
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command and not command.startswith("export "):
                lines.append(command)
    return lines


def test_deploy_doc_lists_the_commands_this_test_runs():
    commands = release_commands()

    assert commands[0] == VENV_LINE
    assert [command.split()[:3] for command in commands[1:4]] == [
        [".venv/bin/python", "manage.py", "migrate"],
        [".venv/bin/python", "manage.py", "load_site_content"],
        [".venv/bin/python", "manage.py", "collectstatic"],
    ]
    assert commands[4].startswith(".venv/bin/gunicorn config.wsgi --bind 127.0.0.1:8000 ")


def test_the_documented_production_commands_serve_the_site_on_its_public_host():
    commands = release_commands()
    assert commands[0] == VENV_LINE
    venv = Path(sys.executable).parent.parent
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,blog.example.test",
        "SITE_URL": "http://blog.example.test",
        "DATABASE_URL": database_url(),
        "ALLOW_INSECURE_HTTP": "1",
    }

    def shell(command):
        return command.replace(".venv/", f"{venv}/").replace("127.0.0.1:8000", f"127.0.0.1:{port}")

    # Up to gunicorn: what follows in the section (the first admin's commands) has a test of its own.
    serve = next(number for number, command in enumerate(commands) if command.startswith(".venv/bin/gunicorn "))
    for command in commands[1:serve]:
        subprocess.run(shell(command), shell=True, check=True, cwd=settings.BASE_DIR, env=env, timeout=300)
    # A session of its own: the shell and gunicorn's master and workers stop together.
    gunicorn = shell(commands[serve])
    server = subprocess.Popen(gunicorn, shell=True, cwd=settings.BASE_DIR, env=env, start_new_session=True)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "blog.example.test"})
        with urllib.request.urlopen(request, timeout=10) as response:
            status, page = response.status, response.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)

    assert status == 200
    assert '<link rel="canonical" href="http://blog.example.test/">' in page
    assert Site.objects.get().domain == "blog.example.test"
