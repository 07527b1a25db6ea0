"""`manage.py` in a development checkout works with no variables; production is chosen explicitly and refuses
to start half-configured; development logs print once; absolute URLs follow the request's host only in
development."""

import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management import call_command

from config.local_db import PGDATA
from tests.forms import BrowserClient
from tests.servers import database_url

# The variables a developer's shell does not have; pytest's own settings come from pyproject.toml.
CONFIGURATION = ("DJANGO_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ALLOW_INSECURE_HTTP", "DATABASE_URL")


def run(args, **env):
    """Run a Python command in the checkout, with the environment of a plain shell plus `env`."""
    clean = {name: value for name, value in os.environ.items() if name not in CONFIGURATION}
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env={**clean, **env}, capture_output=True, text=True
    )


SHOW_SETTINGS = "from django.conf import settings; print(settings.DJANGO_ENV, settings.DEBUG)"


@pytest.mark.django_db
def test_manage_py_defaults_to_development_settings():
    result = run(["manage.py", "shell", "-v", "0", "-c", SHOW_SETTINGS], DATABASE_URL=database_url())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["development", "True"]


def test_manage_py_without_database_url_starts_the_local_postgresql_or_reuses_it():
    was_running = (PGDATA / "postmaster.pid").exists()
    query = "from django.db import connection; print(connection.settings_dict['NAME'], connection.cursor() and 'ok')"

    result = run(["manage.py", "shell", "-v", "0", "-c", query])

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["blog", "ok"]
    # A server another process uses (make run, make test) keeps running; one started for the command stops.
    assert (PGDATA / "postmaster.pid").exists() == was_running


def test_production_is_chosen_explicitly():
    result = run(
        ["manage.py", "shell", "-v", "0", "-c", SHOW_SETTINGS],
        DJANGO_ENV="production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="blog.example.com",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
    )

    assert result.stdout.split() == ["production", "False"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
        ("DATABASE_URL", "DATABASE_URL must be set"),
    ],
)
def test_production_refuses_to_start_half_configured(missing, message):
    env = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "blog.example.com", "DATABASE_URL": "postgres://h/db"}
    del env[missing]

    result = run(["manage.py", "check"], DJANGO_ENV="production", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_the_wsgi_application_defaults_to_production():
    result = run(["-c", "import config.wsgi"])

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_development_log_lines_appear_once():
    log = "import logging; logging.getLogger('django.request').warning('This line once.')"

    result = run(["manage.py", "shell", "-v", "0", "-c", log], DATABASE_URL=database_url())

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("This line once.") == 1


@pytest.mark.django_db
def test_dev_editor_command_prints_the_full_admin_url(settings, monkeypatch):
    # As on `make run`'s own .pgdata server, whichever database this run of the suite uses.
    monkeypatch.setattr("blog.management.commands.create_dev_editor.is_project_local_server", lambda: True)
    settings.DEBUG = True
    out = io.StringIO()

    call_command("create_dev_editor", site_url="http://127.0.0.1:8123", stdout=out)

    assert "log in at http://127.0.0.1:8123/admin/ as 'editor'" in out.getvalue()


@pytest.fixture
def production_domain(db):
    Site.objects.filter(pk=settings.SITE_ID).update(domain="blog.example.com")
    Site.objects.clear_cache()


def links(response):
    return set(re.findall(r"https?://[^/\"<\s]+", response.content.decode()))


@pytest.mark.usefixtures("production_domain")
def test_in_development_absolute_urls_follow_the_request_host_and_port(settings, site_content):
    settings.DEBUG = True
    client = BrowserClient(HTTP_HOST="localhost:8123")

    page = client.get(site_content.get_absolute_url())
    feed = client.get("/feed/")

    assert f'<link rel="canonical" href="http://localhost:8123{site_content.get_absolute_url()}">' in page.text
    assert "http://localhost:8123" in links(feed)
    assert "http://blog.example.com" not in links(page) | links(feed)


@pytest.mark.usefixtures("production_domain")
def test_in_production_absolute_urls_keep_the_site_domain(site_content):
    client = BrowserClient(HTTP_HOST="localhost:8123")

    page = client.get(site_content.get_absolute_url())
    feed = client.get("/feed/")

    assert f'<link rel="canonical" href="http://blog.example.com{site_content.get_absolute_url()}">' in page.text
    assert "http://localhost:8123" not in links(page) | links(feed)


def time_sensitive_modules():
    """The modules `make test-ahead` runs with the clock a year ahead, as the Makefile lists them."""
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    listing = re.search(r"^TIME_SENSITIVE_TESTS :=((?:.*\\\n)*.*)$", makefile, re.MULTILINE).group(1)
    return listing.replace("\\\n", " ").split()


def test_make_test_ahead_lists_only_modules_that_exist():
    missing = [path for path in time_sensitive_modules() if not (settings.BASE_DIR / path).is_file()]

    assert time_sensitive_modules()
    assert missing == []


def test_every_module_that_travels_in_time_runs_in_make_test_ahead():
    travelling = {
        str(path.relative_to(settings.BASE_DIR))
        for path in (settings.BASE_DIR / "tests").rglob("test_*.py")
        if "\nimport time_machine\n" in path.read_text()
    }

    assert travelling - set(time_sensitive_modules()) == set()
