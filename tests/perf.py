"""Set-up shared by the page-cache tests (tests/test_perf_*.py)."""

import uuid

import pytest

from .forms import form_data


def use_page_cache(settings, cache_config):
    """The page cache on `cache_config`; comments posted through the form are published at once
    (no first-comment hold, no minimum time to fill the form in), so pages must show them."""
    settings.CACHES = {"default": cache_config}
    settings.PAGE_CACHE = True
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0


@pytest.fixture
def locmem_page_cache(settings):
    """The page cache on, in a fresh local-memory cache of its own."""
    use_page_cache(settings, {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex})


def comment_form_data(response, comment):
    data = form_data(response, "comment-form")
    data.update(name="Reader One", email="reader@example.com", comment=comment)
    return data
