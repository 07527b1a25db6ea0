"""Every save keeps a revision that editors can view, compare and restore from the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from blog.models import Article
from tests.forms import form_data
from tests.newsroom import save_with

pytestmark = pytest.mark.django_db


def test_seed_article_starts_with_one_revision(site_content):
    assert site_content.history.count() == 1


def test_each_admin_save_keeps_a_revision_with_editor_and_reason(editor_client, editor, site_content):
    save_with(editor_client, site_content, title="Typo fixed")
    save_with(editor_client, site_content, change_kind="update", change_note="New figures from PTA.")

    revisions = list(site_content.history.all()[:2])
    assert [(r.history_user, r.history_change_reason) for r in revisions] == [
        (editor, "New figures from PTA."),
        (editor, "Minor edit"),
    ]
    assert revisions[1].title == "Typo fixed"


def test_history_page_lists_revisions_and_what_changed(editor_client, site_content):
    save_with(editor_client, site_content, title="A corrected title")

    response = editor_client.get(reverse("admin:blog_article_history", args=[site_content.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Minor edit" in content
    assert "Why Xiaomi Smartphones Banned in Pakistan?" in content
    assert "A corrected title" in content  # The "Changes" column: old → new.


def test_editor_restores_an_earlier_revision(editor_client, site_content):
    original = site_content.history.get()
    save_with(editor_client, site_content, title="A vandalised title", body="Nothing left.")
    revision_url = reverse("admin:blog_article_simple_history", args=[site_content.pk, original.history_id])
    data = form_data(editor_client.get(revision_url), "historicalarticle_form")

    response = editor_client.post(revision_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Article.objects.get(pk=site_content.pk)
    assert (restored.title, restored.body) == (site_content.title, site_content.body)
    assert "Khurram Mehran" in restored.body_html


def test_restoring_keeps_a_revision_of_its_own(editor_client, site_content):
    original = site_content.history.get()
    save_with(editor_client, site_content, title="A vandalised title")
    revision_url = reverse("admin:blog_article_simple_history", args=[site_content.pk, original.history_id])

    editor_client.post(revision_url, form_data(editor_client.get(revision_url), "historicalarticle_form"))

    titles = [revision.title for revision in site_content.history.all()]
    assert titles == [site_content.title, "A vandalised title", site_content.title]
    assert site_content.history.first().history_change_reason == f"Restored revision {original.history_id}"


def test_restoring_over_a_newer_save_is_a_conflict(editor_client, site_content):
    original = site_content.history.get()
    revision_url = reverse("admin:blog_article_simple_history", args=[site_content.pk, original.history_id])
    data = form_data(editor_client.get(revision_url), "historicalarticle_form")
    save_with(editor_client, site_content, title="Saved while the revision was open")

    response = editor_client.post(revision_url, data)

    assert response.status_code == 200
    assert Article.objects.get(pk=site_content.pk).title == "Saved while the revision was open"


def test_editors_group_may_use_history_and_updates():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))

    assert {
        "view_historicalarticle",
        "change_historicalarticle",
        "add_articleupdate",
        "change_articleupdate",
        "delete_articleupdate",
    } <= codenames


def test_history_page_names_the_editor_and_a_reason_on_every_row_never_none(editor_client, editor, site_content):
    editor.first_name, editor.last_name = "Amina", "Editor"
    editor.save()
    save_with(editor_client, site_content, title="A corrected title")

    response = editor_client.get(reverse("admin:blog_article_history", args=[site_content.pk]))

    rows = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "None" not in rows
    assert "Amina Editor" in rows
    assert "The site (no editor)" in rows  # The first version, loaded with the site's content.
    assert "First version" in rows
