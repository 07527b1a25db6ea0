"""Moderation by editors in the admin: hold rules, the list, bulk approve / remove / spam, the block list."""

import pytest
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from comments.models import BlockedWord
from config.cachetags import object_tag, tags_invalidated
from tests.comment_factories import CommentFactory, post_comment
from tests.factories import ArticleFactory
from tests.forms import BrowserClient, form_data, submit_form

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:django_comments_xtd_xtdcomment_changelist"


@pytest.fixture(autouse=True)
def _comment_settings(comments_publish_at_once):
    comments_publish_at_once.COMMENTS_HOLD_FIRST_COMMENT = True  # These tests are about holding.


def run_action(editor_client, action, comments):
    page = editor_client.get(reverse(CHANGELIST))
    data = form_data(page, "changelist-form")
    data.update(action=action, _selected_action=[str(comment.pk) for comment in comments])
    return editor_client.post(reverse(CHANGELIST), data, follow=True)


def test_first_comment_from_an_email_is_held(client, article):
    post_comment(client, article)

    assert XtdComment.objects.get().is_public is False


@pytest.fixture
def ada_approved(client, article):
    """Ada's first comment, posted from `client`'s browser and approved by an editor."""
    post_comment(client, article, comment="First time here.", email="ada@example.com")
    first = XtdComment.objects.get(comment="First time here.")
    first.is_public = True
    first.save()
    return first


@pytest.mark.usefixtures("ada_approved")
def test_a_returning_commenter_whose_comment_was_approved_posts_at_once(client, article):
    post_comment(client, article, comment="Second time here.", email="ada@example.com")

    assert XtdComment.objects.get(comment="Second time here.").is_public is True


@pytest.mark.usefixtures("ada_approved")
def test_another_browser_typing_an_approved_commenters_email_is_held(article):
    post_comment(BrowserClient(), article, comment="Pretending to be Ada.", email="ada@example.com")

    assert XtdComment.objects.get(comment="Pretending to be Ada.").is_public is False


@pytest.mark.usefixtures("ada_approved")
def test_an_approved_comment_by_someone_else_from_this_browser_does_not_vouch_for_a_new_email(client, article):
    post_comment(client, article, comment="Under another address.", email="grace@example.com")

    assert XtdComment.objects.get(comment="Under another address.").is_public is False


def test_an_altered_list_of_this_browsers_comments_counts_for_nothing(client, article):
    CommentFactory(article=article, user_email="ada@example.com")
    client.cookies["comments_posted"] = "[1]:forged"

    post_comment(client, article, comment="Forged proof.", email="ada@example.com")

    assert XtdComment.objects.get(comment="Forged proof.").is_public is False


def test_first_comment_rule_can_be_switched_off(client, article, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False

    post_comment(client, article)

    assert XtdComment.objects.get().is_public is True


def test_comment_with_two_links_is_held(client, article, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False

    post_comment(client, article, comment="Cheap phones at https://spam.example and www.spam.example")

    assert XtdComment.objects.get().is_public is False


def test_comment_with_a_blocked_word_is_held(client, article, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    BlockedWord.objects.create(word="casino")

    post_comment(client, article, comment="Visit my Casino tonight")

    assert XtdComment.objects.get().is_public is False


def test_blocked_word_matches_whole_words_only(client, article, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    BlockedWord.objects.create(word="ass")

    post_comment(client, article, comment="A classic phone.")

    assert XtdComment.objects.get().is_public is True


def test_editor_sees_article_author_status_and_excerpt_in_the_list(
    editor_client, article, django_assert_max_num_queries
):
    for _ in range(20):
        CommentFactory(article=article, user_name="Grace Hopper", comment="Nice write-up " * 20)
    XtdComment.objects.filter(pk=CommentFactory(article=article).pk).update(is_public=False)

    with django_assert_max_num_queries(12):
        page = editor_client.get(reverse(CHANGELIST)).content.decode()

    assert "Phones in 2026" in page
    assert "Grace Hopper" in page
    assert "Awaiting moderation" in page
    assert "Nice write-up Nice write-up" in page


def test_editor_filters_held_comments(editor_client, article):
    held = CommentFactory(article=article, comment="Held one")
    XtdComment.objects.filter(pk=held.pk).update(is_public=False)
    CommentFactory(article=article, comment="Approved one")

    page = editor_client.get(reverse(CHANGELIST), {"status": "held"}).content.decode()

    assert "Held one" in page
    assert "Approved one" not in page


def test_editor_searches_comments(editor_client, article):
    CommentFactory(article=article, comment="About batteries")
    CommentFactory(article=article, comment="About cameras")

    page = editor_client.get(reverse(CHANGELIST), {"q": "batteries"}).content.decode()

    assert "About batteries" in page
    assert "About cameras" not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The page cache is invalidated on commit.
def test_editor_approves_a_held_comment_and_it_appears(editor_client, article):
    reader = BrowserClient()
    post_comment(reader, article, comment="Please let me in.")
    held = XtdComment.objects.get()

    response = run_action(editor_client, "approve", [held])

    assert "1 comment approved." in response.content.decode()
    held.refresh_from_db()
    assert held.is_public is True
    assert "Please let me in." in reader.get(article.get_absolute_url()).content.decode()


def test_editor_removes_a_comment(editor_client, article):
    comment = CommentFactory(article=article)

    run_action(editor_client, "remove", [comment])

    comment.refresh_from_db()
    assert comment.is_removed is True


def test_editor_marks_a_comment_as_spam(editor_client, article):
    comment = CommentFactory(article=article, comment="Buy now")

    run_action(editor_client, "mark_spam", [comment])

    comment.refresh_from_db()
    assert (comment.is_public, comment.is_removed) == (False, True)
    assert "Spam" in editor_client.get(reverse(CHANGELIST), {"status": "spam"}).content.decode()


def test_editor_adds_a_blocked_word_through_the_admin_form(editor_client):
    response = submit_form(editor_client, reverse("admin:comments_blockedword_add"), "blockedword_form", word="casino")

    assert response.status_code == 302
    assert BlockedWord.objects.filter(word="casino").exists()


def test_editor_edits_a_comment_with_an_overlong_website_and_gets_a_form_error(editor_client, article):
    comment = CommentFactory(article=article)
    url = reverse("admin:django_comments_xtd_xtdcomment_change", args=[comment.pk])
    data = form_data(editor_client.get(url), "xtdcomment_form")
    data["user_url"] = "https://example.com/" + "x" * 300

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()


def test_editor_comments_are_not_held(editor_client, article):
    post_comment(editor_client, article)

    assert XtdComment.objects.get().is_public is True


def test_editor_cannot_set_a_javascript_website(editor_client, article):
    comment = CommentFactory(article=article)
    url = reverse("admin:django_comments_xtd_xtdcomment_change", args=[comment.pk])
    data = form_data(editor_client.get(url), "xtdcomment_form")
    data["user_url"] = "javascript:alert(1)"

    response = editor_client.post(url, data)

    assert "starting with http:// or https://" in response.content.decode()


def test_editor_saves_an_edited_comment(editor_client, article):
    comment = CommentFactory(article=article)
    url = reverse("admin:django_comments_xtd_xtdcomment_change", args=[comment.pk])
    data = form_data(editor_client.get(url), "xtdcomment_form")
    data["comment"] = "Edited by an editor."

    assert editor_client.post(url, data).status_code == 302
    comment.refresh_from_db()
    assert comment.comment == "Edited by an editor."


@pytest.mark.parametrize(
    ("action", "shown_before", "invalidated"),
    [
        ("approve", False, True),
        ("remove", False, True),
        ("remove", True, True),
        ("mark_spam", True, True),
        ("mark_spam", False, False),  # A held comment marked as spam was never shown: no reader's page changes.
    ],
)
def test_moderation_actions_invalidate_the_pages_showing_a_thread_readers_see_changed(
    editor_client, article, action, shown_before, invalidated, django_capture_on_commit_callbacks
):
    """Bulk updates send no post_save: each action invalidates the article's comment pages itself."""
    comment = CommentFactory(article=article)
    XtdComment.objects.filter(pk=comment.pk).update(is_public=shown_before)
    invalidated_tags = []

    def receiver(sender, tags, **kwargs):
        invalidated_tags.extend(tags)

    tags_invalidated.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_action(editor_client, action, [comment])
    finally:
        tags_invalidated.disconnect(receiver)

    assert (object_tag(article, "comments") in invalidated_tags) is invalidated


def test_comment_flags_are_not_in_the_admin_while_flagging_is_off(editor_client):
    """Flagging is switched off for articles; an empty "Comment flags" screen would only confuse editors."""
    assert "comment flags" not in editor_client.get(reverse("admin:index")).content.decode().lower()


def test_comment_list_says_which_comments_are_replies_and_to_whom(editor_client, article):
    parent = CommentFactory(article=article, user_name="Grace Hopper")
    CommentFactory(article=article, parent=parent, user_name="Ada Lovelace")

    content = editor_client.get(reverse(CHANGELIST)).content.decode()

    parent_url = reverse("admin:django_comments_xtd_xtdcomment_change", args=[parent.pk])
    assert f'Reply to <a href="{parent_url}">Grace Hopper</a>' in content
    assert content.count('<td class="field-in_reply_to">—</td>') == 1  # Grace's comment starts the thread.


def test_comment_list_filters_by_article_from_the_article_lists_link(editor_client, article):
    CommentFactory(article=article, is_public=False, comment="Held here.")
    CommentFactory(article=article, comment="Approved here.")
    CommentFactory(article=ArticleFactory(), is_public=False, comment="Held elsewhere.")

    response = editor_client.get(reverse(CHANGELIST), {"status": "held", "article": article.pk})

    assert [comment.comment for comment in response.context["cl"].result_list] == ["Held here."]
    assert "Phones in 2026" in response.content.decode()  # The chosen article is named in the filter.


def test_comment_list_ignores_a_junk_article_filter(editor_client, article):
    CommentFactory(article=article)

    response = editor_client.get(reverse(CHANGELIST), {"article": "x'1"})

    assert response.status_code == 200
