import datetime

import pytest
from django.core.management import call_command

from authors.models import Author
from blog.models import Article

pytestmark = pytest.mark.django_db


def test_loading_site_content_twice_makes_no_duplicates(site_content):
    call_command("load_site_content", verbosity=0)

    assert Article.objects.count() == 1
    assert Author.objects.count() == 1


def test_loading_site_content_again_keeps_editors_changes(site_content):
    site_content.title = "Edited title"
    site_content.last_updated_on = datetime.date(2026, 1, 2)
    site_content.save()
    author = site_content.author
    author.bio = "Edited bio"
    author.save()

    call_command("load_site_content", verbosity=0)

    site_content.refresh_from_db()
    author.refresh_from_db()
    assert site_content.title == "Edited title"
    assert site_content.last_updated_on == datetime.date(2026, 1, 2)
    assert author.bio == "Edited bio"


def test_site_content_is_the_published_seed_article_dated_4_august_2016(site_content):
    assert site_content.is_published()
    assert site_content.last_updated_on == datetime.date(2016, 8, 4)
    assert site_content.author.name == "Alison Johnson"


def test_bio_is_verbatim_from_the_seed(site_content, seed_paragraphs):
    about = seed_paragraphs.index("About the author")

    assert site_content.author.bio == seed_paragraphs[about + 2]


def test_site_content_reports_what_it_did(db, capsys):
    call_command("load_site_content")
    call_command("load_site_content")

    out = capsys.readouterr().out
    assert "9 created, 0 loaded before" in out
    assert "0 created, 9 loaded before" in out
