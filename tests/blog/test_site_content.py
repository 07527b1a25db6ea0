import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from authors.models import Author
from blog.models import Article, SiteContentRecord, Tag
from pages.models import Page

pytestmark = pytest.mark.django_db

SEED_MIGRATION = importlib.import_module("blog.migrations.0007_editors_content_model_and_seed_records")


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


def test_seed_article_is_in_news_and_mobile_with_its_three_tags(site_content):
    assert sorted(site_content.categories.values_list("name", flat=True)) == ["Mobile", "News"]
    assert sorted(site_content.tags.values_list("name", flat=True)) == ["PTA", "Pakistan", "Xiaomi"]


def test_an_article_an_editor_deleted_does_not_come_back(site_content):
    site_content.delete()

    call_command("load_site_content", verbosity=0)

    assert not Article.objects.exists()


def test_a_deleted_tag_and_privacy_page_do_not_come_back_either(site_content):
    Tag.objects.get(slug="pta").delete()
    Page.objects.get(slug="privacy").delete()

    call_command("load_site_content", verbosity=0)

    assert not Tag.objects.filter(slug="pta").exists()
    assert not Page.objects.filter(slug="privacy").exists()


def test_editors_changes_to_pages_and_tags_are_kept(site_content):
    Page.objects.filter(slug="about").update(body="Our own words.")
    Tag.objects.filter(slug="pta").update(name="Pakistan Telecommunication Authority")

    call_command("load_site_content", verbosity=0)

    assert Page.objects.get(slug="about").body == "Our own words."
    assert Tag.objects.get(slug="pta").name == "Pakistan Telecommunication Authority"


def test_objects_that_exist_before_their_first_load_are_recorded_and_left_alone(db):
    Tag.objects.create(name="Xiaomi phones", slug="xiaomi")

    call_command("load_site_content", verbosity=0)

    assert Tag.objects.get(slug="xiaomi").name == "Xiaomi phones"
    assert SiteContentRecord.objects.filter(model="blog.tag", key='["xiaomi"]').exists()


def test_migrating_a_database_that_holds_the_seed_records_it_as_loaded():
    """A database from before the records: its seed counts as loaded, so a deleted seed article stays deleted
    (the data migration's function, run on a database an older release seeded)."""
    call_command("load_site_content", "authors.json", verbosity=0)  # What an older release loaded (in part).
    SiteContentRecord.objects.all().delete()

    SEED_MIGRATION.record_loaded_seed(django_apps, None)
    call_command("load_site_content", verbosity=0)

    recorded = SiteContentRecord.objects.filter(model__in=["authors.author", "blog.article"])
    assert set(recorded.values_list("key", flat=True)) == {
        '["alison-johnson"]',
        '["why-xiaomi-smartphones-banned-in-pakistan"]',
    }
    assert not Article.objects.exists()  # Missing from an already-seeded database: an editor deleted it.
    assert Page.objects.filter(slug="privacy").exists()  # New fixture objects are loaded.


def test_migrating_a_fresh_database_records_nothing():
    SEED_MIGRATION.record_loaded_seed(django_apps, None)

    assert not SiteContentRecord.objects.exists()
