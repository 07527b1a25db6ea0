from pathlib import Path

import pytest
from django.core.management import call_command

from blog.models import Article

from .factories import EditorFactory

SEED_PATH = Path(__file__).parent / "data" / "seed_article.txt"
SEED_SLUG = "why-xiaomi-smartphones-banned-in-pakistan"


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
def editor_client(client, editor):
    client.force_login(editor)
    return client
