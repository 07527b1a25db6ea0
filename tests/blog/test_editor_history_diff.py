"""History shows readable change summaries: a word diff for text fields (blog/history_diff.py, difflib)."""

import pytest
from django.urls import reverse

from blog.history_diff import word_diff
from tests.blog.test_editor_revisions import save_with

pytestmark = pytest.mark.django_db


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("The ban is new.", "The ban is old news.") == "The ban is <del>new.</del><ins>old news.</ins>"


def test_word_diff_escapes_both_sides():
    diff = word_diff("<b>bold</b>", "<script>alert(1)</script>")

    assert "<script>" not in diff
    assert "&lt;script&gt;" in diff
    assert "&lt;b&gt;" in diff


def test_word_diff_leaves_out_long_unchanged_runs_but_keeps_context():
    words = [f"w{index}" for index in range(100)]
    changed = [*words[:50], "CHANGED", *words[51:]]

    diff = word_diff(" ".join(words), " ".join(changed), context=3)

    assert "<del>w50</del><ins>CHANGED</ins>" in diff
    assert "w47 w48 w49 " in diff
    assert " w51 w52 w53" in diff
    assert "w10 " not in diff
    assert "w90" not in diff
    assert diff.count('class="diff-skip"') == 2


def test_history_page_shows_a_body_change_as_a_diff_not_a_cut_string(editor_client, site_content):
    body = site_content.body.replace("It was doing well", "It had been doing well", 1)
    save_with(editor_client, site_content, body=body)

    content = editor_client.get(reverse("admin:blog_article_history", args=[site_content.pk])).content.decode()

    assert "chars]" not in content
    assert '<div class="history-diff">It <del>was</del><ins>had been</ins> doing well' in content
