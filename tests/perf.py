"""Set-up shared by the page-cache tests (tests/test_perf_*.py)."""

import copy
import uuid
from pathlib import Path

import pytest

from .forms import form_data

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def comment_templates(settings):
    """Stand-ins for the comments app's section and per-reader form (tests/templates/comments/)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [TEST_TEMPLATES, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def use_page_cache(settings, cache_config):
    settings.CACHES = {"default": cache_config}
    settings.PAGE_CACHE = True


@pytest.fixture
def locmem_page_cache(settings, comment_templates):
    """The page cache on, in a fresh local-memory cache of its own."""
    use_page_cache(settings, {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex})


def comment_form_data(response, comment):
    data = form_data(response, "comment-form")
    data.update(name="Reader One", email="reader@example.com", comment=comment)
    return data
