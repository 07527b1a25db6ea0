"""Playwright driving the machine's Chromium (Debian's package), for browser tests.

`playwright install` cannot download browsers here, so the tests launch /usr/bin/chromium. A machine
without it fails these tests with a message saying what to install; they are never skipped.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Playwright's sync API keeps an event loop running in this thread,
    which Django's async-safety check would take for async code, so the check is off meanwhile."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium`.")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, settings):
    """A fresh browser tab. Static files come unhashed from the apps, as the live server serves them."""
    unhashed = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": unhashed}
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script, whatever the site's CSP.
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}: run `npm ci` (make test does it).")
    return AXE_SCRIPT


@pytest.fixture(scope="module", autouse=True)
def restore_migration_data(django_db_blocker):
    """Put back the rows migrations created (Editors group, site) once this module's tests are done.

    Browser tests must commit their data, so each ends by emptying the tables; with --reuse-db the
    next run would otherwise start from a database without them.
    """
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
