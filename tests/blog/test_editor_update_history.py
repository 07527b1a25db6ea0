"""The public update history: rows of date, note and editor, listed under "Last Updated On"."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from blog.models import Article, ArticleUpdate
from tests.factories import ArticleFactory
from tests.forms import form_data
from tests.newsroom import change_url

pytestmark = pytest.mark.django_db

start_histories = importlib.import_module("blog.migrations.0004_editors_permissions_and_first_updates").start_histories


def test_seed_article_starts_with_one_entry_dated_4_august_2016_without_note(site_content):
    assert list(site_content.updates.values_list("date", "note", "editor")) == [(datetime.date(2016, 8, 4), "", None)]


def test_loading_site_content_again_adds_no_entry(site_content):
    call_command("load_site_content", verbosity=0)

    assert ArticleUpdate.objects.count() == 1


def test_migration_starts_the_history_of_articles_that_have_none(site_content):
    """Databases that had articles before this feature get the same first entry and a first revision."""
    site_content.updates.all().delete()
    site_content.history.all().delete()

    start_histories(apps, None)
    start_histories(apps, None)  # Running it again changes nothing.

    assert list(site_content.updates.values_list("date", "note")) == [(datetime.date(2016, 8, 4), "")]
    assert site_content.history.get().title == site_content.title


def test_article_page_has_no_update_history_with_a_single_entry(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert "Update history" not in content


def test_article_page_links_last_updated_on_to_the_update_history_newest_first(client, site_content):
    site_content.record_update(note="Xiaomi replied to PTA.", date=datetime.date(2016, 9, 1))

    content = client.get(site_content.get_absolute_url()).content.decode()

    updated_line = '<a href="#update-history">(Last Updated On: <time datetime="2016-09-01">01/09/2016</time>)</a>'
    assert updated_line in content
    # Under the article's text, as a timeline the byline's "Last Updated On" links to.
    history = content.split('<section class="update-history" id="update-history"', 1)[1].split("</section>", 1)[0]
    assert content.index('<div class="article-body"') < content.index('id="update-history"')
    assert "Update history" in history
    assert history.index("01/09/2016</time>: Xiaomi replied to PTA.") < history.index("04/08/2016</time>: Published")


def test_first_history_entry_reads_as_the_publication(client, site_content):
    site_content.record_update(note="Xiaomi replied to PTA.", date=datetime.date(2016, 9, 1))

    content = client.get(site_content.get_absolute_url()).content.decode()

    assert '<li><time datetime="2016-08-04">04/08/2016</time>: Published</li>' in content


def test_update_history_does_not_name_editors_to_readers(client, site_content, editor):
    site_content.record_update(note="Xiaomi replied to PTA.", editor=editor)

    assert editor.username not in client.get(site_content.get_absolute_url()).content.decode()


@pytest.mark.usefixtures("every_request_rendered")
def test_article_page_query_count_does_not_grow_with_the_history(client, django_assert_num_queries):
    article = ArticleFactory()
    for day in range(1, 6):
        article.record_update(note=f"Update {day}")

    client.get(article.get_absolute_url())  # The Site is looked up once per process.

    # The article with its author, featured image, totals, history, categories and tags; comments; the header's
    # sections and the footer's pages.
    with django_assert_num_queries(4):
        client.get(article.get_absolute_url())


def test_editor_corrects_a_note_in_the_inline(editor_client, site_content):
    site_content.record_update(note="Xiaomi repiled to PTA.", date=datetime.date(2016, 9, 1))
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    note_field = next(name for name, value in data.items() if value == "Xiaomi repiled to PTA.")
    data[note_field] = "Xiaomi replied to PTA."

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert site_content.updates.first().note == "Xiaomi replied to PTA."


def test_entry_edited_in_the_inline_is_named_in_the_revision(editor_client, site_content):
    site_content.record_update(note="Xiaomi repiled to PTA.", date=datetime.date(2016, 9, 1))
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    note_field = next(name for name, value in data.items() if value == "Xiaomi repiled to PTA.")
    data[note_field] = "Xiaomi replied to PTA."

    editor_client.post(change_url(site_content), data)

    assert site_content.history.first().history_change_reason == "Minor edit; update history edited: changed 01/09/2016"


def test_entry_added_in_the_inline_is_signed_by_the_editor(editor_client, editor, site_content):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data.update({"updates-TOTAL_FORMS": "2", "updates-1-date": "10/08/2016", "updates-1-note": "Imported entry."})

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = site_content.updates.get(note="Imported entry.")
    assert (entry.date, entry.editor) == (datetime.date(2016, 8, 10), editor)


def test_record_update_moves_last_updated_on(site_content):
    site_content.record_update(note="Note.", date=datetime.date(2016, 9, 1))

    assert Article.objects.get(pk=site_content.pk).last_updated_on == datetime.date(2016, 9, 1)


@pytest.mark.parametrize(
    ("date", "error"),
    [
        ("03/08/2016", "An update cannot be dated before publication (04/08/2016)."),
        ("01/01/2999", "An update cannot be dated in the future."),
    ],
)
def test_inline_entry_dates_follow_the_last_updated_on_rule(editor_client, site_content, date, error):
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data.update({"updates-TOTAL_FORMS": "2", "updates-1-date": date, "updates-1-note": "Imported entry."})

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    inline_errors = response.context["inline_admin_formsets"][0].formset.errors
    assert inline_errors[1] == {"date": [error]}
    assert 'value="Imported entry."' in response.content.decode()
    assert site_content.updates.count() == 1


def test_untouched_first_entry_does_not_block_publishing_an_old_draft(editor_client):
    """A draft started weeks ago is published today: "Last Updated On" and its first entry follow."""
    started = timezone.now() - datetime.timedelta(days=20)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=started, last_updated_on=started.date())
    data = form_data(editor_client.get(change_url(draft)), "article_form")
    now = timezone.localtime()
    data.update(status="published", published_at_0=now.strftime("%d/%m/%Y"), published_at_1=now.strftime("%H:%M:%S"))

    response = editor_client.post(change_url(draft), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.last_updated_on == timezone.localdate()
    assert list(draft.updates.values_list("date", "note")) == [(timezone.localdate(), "")]


def test_first_entry_stays_once_there_are_updates(editor_client, site_content):
    site_content.record_update(note="Xiaomi replied to PTA.", date=datetime.date(2016, 9, 1))
    data = form_data(editor_client.get(change_url(site_content)), "article_form")
    data.update(change_kind="correction", last_updated_on="02/09/2016")

    editor_client.post(change_url(site_content), data)

    assert list(site_content.updates.values_list("date", flat=True)) == [
        datetime.date(2016, 9, 1),
        datetime.date(2016, 8, 4),
    ]


def test_update_recorded_through_an_article_shows_in_its_update_history(site_content):
    assert [update.note for update in site_content.update_history] == [""]

    site_content.record_update(note="Xiaomi replied to PTA.")

    assert [update.note for update in site_content.update_history] == ["Xiaomi replied to PTA.", ""]
