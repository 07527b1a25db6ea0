"""Browser tests: Playwright drives Debian's Chromium against the production-style server.

Playwright's own browser download does not work on these machines, so the system Chromium
(`apt-get install chromium`, done by scripts/system-deps.sh) is launched by path.
"""

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Locator, sync_playwright

from tests.factories import EditorFactory
from tests.servers import forget_keys, production_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR, "artifacts")
AXE_SCRIPT = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
EDITOR_PASSWORD = "a-long-test-password"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
# The comment form refuses a form sent sooner than COMMENTS_MIN_SECONDS_TO_SUBMIT after it was shown
# (a bot's speed); Playwright types at once, so the comment journeys' server lets it through.
HUMAN_SPEED = {"COMMENTS_MIN_SECONDS_TO_SUBMIT": "0"}


@pytest.fixture(scope="package")
def chromium():
    """One Chromium for all the browser tests; each test's tabs live in browser contexts of their own.

    Playwright's sync API runs an event loop in this thread while it is open. The ORM calls the tests make
    between browser steps are still plain synchronous code, hence DJANGO_ALLOW_ASYNC_UNSAFE. Meanwhile asgiref
    gives the thread Django connection objects of their own: tests/postgresql keeps the migrated rows' copy where
    they find it, and they are closed before the loop stops.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install chromium (scripts/system-deps.sh does it)")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            connections.close_all()


@pytest.fixture
def browser(chromium, transactional_db, django_db_serialized_rollback):
    """The shared Chromium, for a test whose data is committed (the servers it starts read it); the browser
    contexts the test left open are closed after it."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def site(transactional_db, django_db_serialized_rollback):
    """The seed content, served by gunicorn with DEBUG off on 127.0.0.1."""
    call_command("load_site_content", verbosity=0)
    with production_server() as base_url:
        yield base_url


@pytest.fixture
def comment_site(transactional_db, django_db_serialized_rollback):
    """The seed content on a server that takes comments at Playwright's typing speed."""
    call_command("load_site_content", verbosity=0)
    with production_server(extra_env=HUMAN_SPEED) as base_url:
        yield base_url


class PageCache:
    """The page cache of a server, in Redis under a key prefix of its own (shared by its gunicorn workers)."""

    def __init__(self):
        self.prefix = f"e2e-{uuid.uuid4().hex}"
        self.client = redis.Redis.from_url(REDIS_URL)

    def keys(self):
        return list(self.client.scan_iter(match=f"{self.prefix}:*"))

    def clear(self):
        forget_keys(REDIS_URL, self.prefix)


@pytest.fixture
def page_cache():
    cache = PageCache()
    try:
        cache.client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL}: the page-cached server needs it (make test's CI starts it)")
    yield cache
    cache.clear()


@pytest.fixture
def cached_site(transactional_db, django_db_serialized_rollback, page_cache):
    """The seed content on a server whose anonymous pages come from the Redis page cache."""
    call_command("load_site_content", verbosity=0)
    extra_env = {**HUMAN_SPEED, "PAGE_CACHE": "1", "REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": page_cache.prefix}
    with production_server(extra_env=extra_env) as base_url:
        yield base_url


class PageProblems:
    """Console errors, uncaught exceptions (CSP violations show up as console errors) and
    requests to anywhere but 127.0.0.1, collected while a page is used."""

    def __init__(self):
        self.errors = []

    def watch(self, context):
        context.on("page", self._watch_page)
        context.on("request", self._check_request)

    def _watch_page(self, page):
        def on_console(message):
            # A page that is itself a 404 (asserted by its test) logs its own status; sub-resources must not fail.
            own_status = message.text.startswith("Failed to load resource") and message.location["url"] == page.url
            if message.type == "error" and not own_status:
                self.errors.append(f"console: {message.text} ({message.location['url']})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _check_request(self, request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host != "127.0.0.1":
            self.errors.append(f"request left 127.0.0.1: {request.url}")


@contextmanager
def browser_tab(browser, *, javascript=True, height=900):
    """A tab 1280 pixels wide in a browser context of its own (its own cookies); on leaving, the context is
    closed and the test fails on any console error, page error, CSP violation or request leaving 127.0.0.1."""
    problems = PageProblems()
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": height})
    problems.watch(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()
    assert problems.errors == []


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def reader(request, browser):
    """A reader's browser tab, once with JavaScript on and once with it off."""
    with browser_tab(browser, javascript=request.param) as page:
        page.javascript = request.param
        yield page


@pytest.fixture
def editor_page(browser):
    with browser_tab(browser, height=1000) as page:
        yield page


@pytest.fixture
def visitor(browser):
    """An anonymous reader's tab with JavaScript on, beside an editor's (no session: pages may come from the cache)."""
    with browser_tab(browser) as page:
        yield page


@pytest.fixture
def editor_account(transactional_db):
    return EditorFactory(username="e2e-editor")


def screenshot(target, name, *, margin=16):
    """Save a screenshot of a whole page, or of one element (a Locator) with a margin around it, to the
    git-ignored artifacts/ folder (docs/screenshots/ keeps a committed set).

    The viewport is stretched to the page's height for the shot, so sticky parts (the admin's sidebar)
    sit where a reader sees them instead of where the viewport happened to end.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    page = target.page if isinstance(target, Locator) else target
    viewport = page.viewport_size
    page.set_viewport_size({**viewport, "height": page.evaluate("document.documentElement.scrollHeight")})
    page.evaluate("window.scrollTo(0, 0)")
    clip = None
    if isinstance(target, Locator):
        box = target.bounding_box()
        left, top = max(box["x"] - margin, 0), max(box["y"] - margin, 0)
        clip = {"x": left, "y": top, "width": box["width"] + 2 * margin, "height": box["height"] + 2 * margin}
    page.screenshot(path=ARTIFACTS / f"{name}.png", clip=clip)
    page.set_viewport_size(viewport)


@pytest.fixture
def axe_page(browser):
    """A tab that lets the axe-core script in, whatever the site's Content-Security-Policy."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}: run `npm ci` (make test does it).")
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()
