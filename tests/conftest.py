import datetime
import os
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connections

from blog.models import Article
from tests.factories import ArticleFactory, EditorFactory
from tests.forms import BrowserClient
from tests.perf import REDIS_TEST_URL, redis_cache_config
from tests.servers import forget_keys

SEED_PATH = Path(__file__).parent / "data" / "seed_article.txt"
SEED_SLUG = "why-xiaomi-smartphones-banned-in-pakistan"
# `make test-ahead` runs the time-sensitive modules with the clock this many days ahead (see that target).
CLOCK_AHEAD_DAYS = int(os.environ.get("TESTS_CLOCK_AHEAD_DAYS") or 0)


@pytest.fixture(autouse=True, scope="session")
def _clock_ahead():
    """With TESTS_CLOCK_AHEAD_DAYS set, the whole run happens that many days from today (the clock ticks on),
    so a test that hard-codes a date, or builds data at one time and reads it at another, fails on CI today
    rather than for whoever runs the suite on that later date."""
    if not CLOCK_AHEAD_DAYS:
        yield
        return
    moved = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=CLOCK_AHEAD_DAYS)
    with time_machine.travel(moved, tick=True):
        yield


@pytest.fixture(autouse=True)
def page_cache_of_its_own(settings):
    """Every test meets the page cache as deployed, on Redis, under a key prefix of its own (deleted after it).
    Returns the prefix."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": redis_cache_config(prefix)}
    settings.PAGE_CACHE = True
    yield prefix
    cache = caches["default"]
    if isinstance(cache, RedisCache):  # Its connections would stay open until the cache object is collected.
        cache._cache.get_client().connection_pool.disconnect()
    forget_keys(REDIS_TEST_URL, prefix)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and renditions go to a folder of the test's own (the servers it starts get it too), never to the
    checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def quick_password_hashes(settings):
    """Passwords hashed with MD5, as Django's testing docs suggest, for in-process tests that sign in (or fail to)
    many times. Not for accounts that sign in on a server the test starts: it keeps the deployed hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def every_request_rendered(settings):
    """The page cache off, for tests of what rendering a page costs in SQL: with it on, a repeated request is a
    hit and runs none (tests/config/test_page_cache_tags.py checks hits)."""
    settings.PAGE_CACHE = False


@pytest.fixture
def seed_paragraphs():
    """The seed article's text, one entry per paragraph, exactly as published."""
    return [paragraph.strip() for paragraph in SEED_PATH.read_text(encoding="utf-8").split("\n\n") if paragraph.strip()]


@pytest.fixture
def site_content(db):
    """The site's starting content (Alison Johnson and the ban story), loaded as `make run` loads it."""
    call_command("load_site_content", verbosity=0)
    return Article.objects.get(slug=SEED_SLUG)


@pytest.fixture
def editor(db):
    return EditorFactory()


@pytest.fixture
def client():
    """pytest-django's test client, posting forms as a browser does (tests.forms.BrowserClient)."""
    return BrowserClient()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def comments_publish_at_once(settings):
    """Comments posted through the form are published at once: no first-comment hold and no minimum
    time to fill the form in (the test client posts instantly). Returns `settings` for further changes."""
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    return settings


@pytest.fixture
def notify_editors(settings):
    """Held comments are emailed to the editors (moderators@example.com), and a first comment is held."""
    settings.COMMENTS_HELD_NOTIFY_EMAILS = ["moderators@example.com"]
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    return settings


@pytest.fixture
def article(db):
    """A published article to comment on (mails and admin pages name it by its title)."""
    return ArticleFactory(title="Phones in 2026")


@pytest.fixture
def tasks_run_at_once(settings):
    """Queued tasks (mail) run in this process as soon as they are queued: django-tasks' ImmediateBackend.

    For tests of what a mail says. Mail is queued on commit, so such tests use `transaction=True`.
    Delivery through the database queue and a real worker is tested in tests/worker/test_mail_delivery.py.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test run's connections use tests/postgresql (TRUNCATE-free flushes), set before the test database is
    created; the connection made before then, if any, is dropped so the next one uses it."""
    django_settings.DATABASES["default"]["ENGINE"] = "tests.postgresql"
    connections.close_all()
    del connections["default"]
