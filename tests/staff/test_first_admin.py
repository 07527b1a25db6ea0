"""The first staff account of a production install, created exactly as docs/deploy.md ("The first admin") says:
the server's environment file loaded into the shell, then `manage.py createsuperuser` answering its prompts on a
terminal."""

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DEPLOY_DOC = settings.BASE_DIR / "docs" / "deploy.md"
PASSWORD = "a-first-admin-passphrase-42"


def documented_commands():
    """The shell block of the "The first admin" section, with the environment file's path as written."""
    section = DEPLOY_DOC.read_text(encoding="utf-8").split("### The first admin", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


class Terminal:
    """A command on a pseudo-terminal (createsuperuser reads the password from one), answered prompt by prompt."""

    def __init__(self, args, **kwargs):
        self.master, replica = pty.openpty()
        self.process = subprocess.Popen(
            args, stdin=replica, stdout=replica, stderr=replica, start_new_session=True, **kwargs
        )
        os.close(replica)
        self.seen = ""

    def expect(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        readable = select.poll()  # Not select.select: a long suite may hold file descriptors past its 1024 limit.
        readable.register(self.master, select.POLLIN)
        while text not in self.seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not readable.poll(remaining * 1000):
                raise AssertionError(f"no {text!r} in:\n{self.seen}")
            try:
                chunk = os.read(self.master, 4096).decode(errors="replace")
            except OSError:  # The command ended.
                raise AssertionError(f"no {text!r} in:\n{self.seen}") from None
            self.seen += chunk
        self.seen = self.seen.split(text, 1)[1]

    def send(self, line):
        os.write(self.master, (line + "\n").encode())

    def close(self):
        try:
            return self.process.wait(timeout=30)
        finally:
            os.close(self.master)


def test_the_documented_commands_create_the_first_admin_of_a_production_install(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text(
        "DJANGO_ENV=production\n"
        f"SECRET_KEY={'k' * 60}\n"
        "ALLOWED_HOSTS=blog.example.com\n"
        f"DATABASE_URL={database_url()}\n",
        encoding="utf-8",
    )
    commands = documented_commands()
    assert commands == [
        "set -a && . /etc/blog/env && set +a",
        ".venv/bin/python manage.py createsuperuser",
        ".venv/bin/python manage.py enrolment_link admin",
    ]
    script = " && ".join(commands).replace("/etc/blog/env", str(env_file))
    # An operator's shell: none of the variables the tests run with.
    shell_env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ALLOW_INSECURE_HTTP", "DATABASE_URL"}
    }

    terminal = Terminal(["bash", "-c", script], cwd=settings.BASE_DIR, env=shell_env)
    terminal.expect("Username")
    terminal.send("admin")
    terminal.expect("Email address:")
    terminal.send("admin@example.com")
    terminal.expect("Password:")
    terminal.send(PASSWORD)
    terminal.expect("Password (again):")
    terminal.send(PASSWORD)
    terminal.expect("Superuser created successfully.")
    terminal.expect("/admin/two-factor/enrol/")  # The enrolment link, on the Site's domain.

    assert terminal.close() == 0
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password(PASSWORD)


def test_without_the_environment_manage_py_names_everything_missing_and_what_works():
    env = {
        name: value for name, value in os.environ.items() if name not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env.update(DJANGO_ENV="production", DEBUG="0")

    result = subprocess.run(
        [sys.executable, "manage.py", "createsuperuser"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )

    assert result.returncode != 0
    for message in ("SECRET_KEY must be set", "ALLOWED_HOSTS must be set", "DATABASE_URL must be set"):
        assert message in result.stderr
    assert "set -a && . /etc/blog/env && set +a" in result.stderr
