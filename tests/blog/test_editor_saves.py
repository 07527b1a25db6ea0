"""The two kinds of save on the article change form, and the rules for "Last Updated On"."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from blog.models import Article, ArticleUpdate
from tests.factories import ArticleFactory
from tests.forms import form_data
from tests.newsroom import add_article, change_url

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def fixed_today():
    """Every test here runs on 24/11/2026 at noon, so "today" is known."""
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC), tick=False):
        yield


def change_form(client, article):
    return form_data(client.get(change_url(article)), "article_form")


def form_errors(response):
    return response.context["adminform"].form.errors


def save_dated(client, article, change_kind, last_updated_on):
    """Save the article as a date correction or an update (with a note) that sets "Last Updated On"."""
    data = change_form(client, article)
    data.update(change_kind=change_kind, change_note="Note." if change_kind == "update" else "")
    data["last_updated_on"] = last_updated_on
    return client.post(change_url(article), data)


def test_minor_edit_keeps_last_updated_on(editor_client, site_content):
    data = change_form(editor_client, site_content)
    assert data["change_kind"] == "minor"  # The default: a save never moves the date by accident.
    data["body"] = data["body"].replace("It was doing well", "It was doing very well")

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 302, form_errors(response)
    saved = Article.objects.get(pk=site_content.pk)
    assert "It was doing very well" in saved.body
    assert saved.last_updated_on == datetime.date(2016, 8, 4)


def test_minor_edit_adds_nothing_to_the_update_history(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data["title"] = "Why Were Xiaomi Smartphones Banned in Pakistan?"

    editor_client.post(change_url(site_content), data)

    assert list(site_content.updates.values_list("date", "note")) == [(datetime.date(2016, 8, 4), "")]


def test_update_with_note_moves_last_updated_on_to_today(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data.update(change_kind="update", change_note="Added PTA's reply.")

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 302, form_errors(response)
    assert Article.objects.get(pk=site_content.pk).last_updated_on == TODAY


def test_update_with_note_adds_an_entry_to_the_update_history(editor_client, editor, site_content):
    data = change_form(editor_client, site_content)
    data.update(change_kind="update", change_note="Added PTA's reply.")

    editor_client.post(change_url(site_content), data)

    latest = site_content.updates.first()
    assert (latest.date, latest.note, latest.editor) == (TODAY, "Added PTA's reply.", editor)
    assert site_content.updates.count() == 2


def test_update_uses_the_date_the_editor_set(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data.update(change_kind="update", change_note="Corrected the dealer's name.", last_updated_on="10/09/2016")

    editor_client.post(change_url(site_content), data)

    assert Article.objects.get(pk=site_content.pk).last_updated_on == datetime.date(2016, 9, 10)
    assert site_content.updates.first().date == datetime.date(2016, 9, 10)


def test_update_without_note_is_refused_and_keeps_the_editors_text(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data.update(change_kind="update", change_note="  ", title="A new title")

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    assert form_errors(response)["change_note"] == ["An update needs a one-line change note for readers."]
    assert 'value="A new title"' in response.content.decode()
    assert Article.objects.get(pk=site_content.pk).title == site_content.title


def test_minor_edit_with_a_note_is_refused_rather_than_dropping_the_note(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data["change_note"] = "Fixed a typo."

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    assert "choose “Update” to publish this note" in form_errors(response)["change_note"][0]
    assert 'value="Fixed a typo."' in response.content.decode()


def test_minor_edit_that_moves_last_updated_on_is_refused_and_keeps_the_typed_date(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data.update(last_updated_on="05/08/2016", title="A corrected title")

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    assert form_errors(response)["last_updated_on"] == [
        "A minor edit keeps “Last Updated On” (04/08/2016). To change it, choose “Update” "
        "(with a note for readers) or “Date correction” below."
    ]
    content = response.content.decode()
    assert 'value="05/08/2016"' in content
    assert 'value="A corrected title"' in content
    saved = Article.objects.get(pk=site_content.pk)
    assert (saved.title, saved.last_updated_on) == (site_content.title, datetime.date(2016, 8, 4))


def test_date_correction_sets_last_updated_on_and_leaves_the_update_history_alone(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data.update(change_kind="correction", last_updated_on="05/08/2016")

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 302, form_errors(response)
    assert Article.objects.get(pk=site_content.pk).last_updated_on == datetime.date(2016, 8, 5)
    assert list(site_content.updates.values_list("date", "note")) == [(datetime.date(2016, 8, 4), "")]


def test_date_correction_is_recorded_as_a_revision_with_the_old_and_new_date(editor_client, editor, site_content):
    data = change_form(editor_client, site_content)
    data.update(change_kind="correction", last_updated_on="05/08/2016", change_note="Imported with the wrong day.")

    editor_client.post(change_url(site_content), data)

    revision = site_content.history.first()
    assert revision.history_user == editor
    assert revision.history_change_reason == (
        "Date correction: “Last Updated On” 04/08/2016 → 05/08/2016 (Imported with the wrong day.)"
    )


def test_date_correction_without_a_new_date_is_refused(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data["change_kind"] = "correction"

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    assert form_errors(response)["last_updated_on"] == [
        "A date correction changes “Last Updated On”: set the correct date here, or choose “Minor edit”."
    ]


@pytest.mark.parametrize("change_kind", ["correction", "update"])
def test_last_updated_on_before_publication_is_refused(editor_client, site_content, change_kind):
    response = save_dated(editor_client, site_content, change_kind, "03/08/2016")

    assert response.status_code == 200
    assert form_errors(response)["last_updated_on"] == [
        "“Last Updated On” cannot be before the publication date (04/08/2016)."
    ]
    assert Article.objects.get(pk=site_content.pk).last_updated_on == datetime.date(2016, 8, 4)


@pytest.mark.parametrize("change_kind", ["correction", "update"])
def test_last_updated_on_in_the_future_is_refused(editor_client, site_content, change_kind):
    response = save_dated(editor_client, site_content, change_kind, "25/11/2026")

    assert response.status_code == 200
    assert form_errors(response)["last_updated_on"] == ["“Last Updated On” cannot be in the future."]
    assert 'value="25/11/2026"' in response.content.decode()


def test_invalid_last_updated_on_is_named_next_to_the_field(editor_client, site_content):
    data = change_form(editor_client, site_content)
    data["last_updated_on"] = "31/02/2026"

    response = editor_client.post(change_url(site_content), data)

    assert response.status_code == 200
    assert form_errors(response)["last_updated_on"] == ["Enter a valid date."]


def test_change_form_offers_both_kinds_of_save(editor_client, site_content):
    content = editor_client.get(change_url(site_content)).content.decode()

    assert 'name="change_kind" value="minor"' in content
    assert 'name="change_kind" value="update"' in content
    assert 'name="change_kind" value="correction"' in content
    assert 'name="change_note"' in content


def test_add_form_has_no_kind_of_save(editor_client):
    content = editor_client.get(reverse("admin:blog_article_add")).content.decode()

    assert 'name="change_kind"' not in content


def test_scheduled_article_gets_its_publication_date_as_last_updated_on(editor_client, site_content):
    """A new article scheduled for next week is not "updated" before it appears."""
    next_week = datetime.datetime(2026, 12, 1, 9)

    response = add_article(editor_client, "Coming soon", author=site_content.author, published_at=next_week)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="coming-soon")
    assert article.last_updated_on == datetime.date(2026, 12, 1)
    assert list(article.updates.values_list("date", "note")) == [(datetime.date(2026, 12, 1), "")]


def test_mark_as_updated_today_adds_history_entries_and_revisions(editor_client, editor):
    article = ArticleFactory(last_updated_on=datetime.date(2026, 1, 1))

    editor_client.post(
        reverse("admin:blog_article_changelist"), {"action": "mark_updated_today", "_selected_action": [article.pk]}
    )

    article.refresh_from_db()
    assert article.last_updated_on == TODAY
    assert (article.updates.first().date, article.updates.first().editor) == (TODAY, editor)
    assert article.history.first().history_user == editor


def test_mark_as_updated_today_leaves_scheduled_articles_alone(editor_client):
    scheduled = ArticleFactory(
        published_at=timezone.now() + datetime.timedelta(days=3), last_updated_on=TODAY + datetime.timedelta(days=3)
    )

    response = editor_client.post(
        reverse("admin:blog_article_changelist"),
        {"action": "mark_updated_today", "_selected_action": [scheduled.pk]},
        follow=True,
    )

    assert Article.objects.get(pk=scheduled.pk).last_updated_on == TODAY + datetime.timedelta(days=3)
    assert ArticleUpdate.objects.filter(article=scheduled).count() == 1
    assert "1 article was left as it is: already updated today, or not published yet." in response.content.decode()


def test_mark_as_updated_today_adds_no_second_entry_for_the_same_day(editor_client):
    article = ArticleFactory(last_updated_on=datetime.date(2026, 1, 1))
    action = {"action": "mark_updated_today", "_selected_action": [article.pk]}

    editor_client.post(reverse("admin:blog_article_changelist"), action)
    editor_client.post(reverse("admin:blog_article_changelist"), action)

    assert list(article.updates.values_list("date", flat=True)) == [TODAY, datetime.date(2026, 1, 1)]


def test_change_form_query_count_does_not_grow_with_the_update_history(
    editor_client, editor, site_content, django_assert_num_queries
):
    for day in range(1, 6):
        site_content.record_update(note=f"Update {day}", date=datetime.date(2016, 9, day), editor=editor)
    editor_client.get(change_url(site_content))  # Fills the content type and site caches.

    # Session, user, article, two permission look-ups, update history with editors, authors; the article's
    # categories and tags, for the form and for their autocomplete widgets.
    with django_assert_num_queries(11):
        editor_client.get(change_url(site_content))
