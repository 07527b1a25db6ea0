"""The reader's journey through "Leave a Comment" in a real browser, with JavaScript on and off."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article
from tests.comment_factories import CommentFactory

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RETURNING_EMAIL = "grace@example.com"


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def thread(comment_site):
    """A small conversation on the seed article, three levels deep; Grace has commented before."""
    article = Article.objects.get()
    grace = CommentFactory(
        article=article,
        submit_date=hours_ago(26),
        user_name="Grace Okafor",
        user_email=RETURNING_EMAIL,
        comment="Does the ban cover phones bought abroad, or only the ones sold in shops here?",
    )
    hamid = CommentFactory(
        article=article,
        parent=grace,
        submit_date=hours_ago(20),
        user_name="Hamid Raza",
        comment="Only imports without a PTA approval number, as far as I can tell from the notice.",
    )
    CommentFactory(
        article=article,
        parent=hamid,
        submit_date=hours_ago(19),
        user_name="Grace Okafor",
        user_email=RETURNING_EMAIL,
        comment="Thanks, that settles it for my brother's phone.",
    )
    leo = CommentFactory(
        article=article,
        submit_date=hours_ago(3),
        user_name="Leo Martin",
        comment="Xiaomi has since opened an official store in Lahore, so this may be old news.",
    )
    return {"leo": leo}


def open_article(page, site):
    page.goto(site + Article.objects.get().get_absolute_url())
    expect(page.locator("#respond-title")).to_have_text("Leave a Comment")


def fill_in_comment(page, *, name, email, comment):
    form = page.locator("#comment-form")
    form.get_by_label("Comment", exact=True).fill(comment)
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Email", exact=True).fill(email)
    form.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    if page.get_by_text(NOT_POSTED_YET).count():
        confirm_first_comment(page, comment)


NOT_POSTED_YET = "Your comment has not been posted yet"


def confirm_first_comment(page, comment):
    """Without JavaScript, a first visit's form has no CSRF token: the site shows it again, text kept, with one."""
    assert not page.javascript, "with JavaScript, the form fetches a token before it is sent"
    expect(page.get_by_label("Comment", exact=True)).to_have_value(comment)
    if page.locator(".field-error").count() == 0:
        page.get_by_role("button", name="Post Comment").click()


def test_returning_commenters_comment_appears_at_once(thread, comment_site, reader):
    open_article(reader, comment_site)

    fill_in_comment(reader, name="Grace Okafor", email=RETURNING_EMAIL, comment="The store in Lahore is real: I went.")

    expect(reader).to_have_url(re.compile(r"\?cpage=1#c\d+$"))
    posted = reader.locator(".comment-list > li").last
    expect(posted.locator(".comment-author")).to_have_text("Grace Okafor")
    expect(posted.locator(".comment-text")).to_have_text("The store in Lahore is real: I went.")
    expect(reader.locator("#comments-title")).to_have_text("5 Comments")
    expect(reader.locator(".comment-held")).to_have_count(0)


def test_first_comment_waits_for_moderation_and_only_its_author_sees_it(comment_site, reader):
    open_article(reader, comment_site)

    fill_in_comment(reader, name="Nadia Khan", email="nadia@example.com", comment="Is the ban still in force today?")

    held = reader.locator(".comment-held")
    expect(held.locator(".comment-held-note")).to_have_text("Your comment is awaiting moderation.")
    expect(held.locator(".comment-text")).to_have_text("Is the ban still in force today?")
    expect(reader.locator("#comments-title")).to_have_text("No comments yet")

    reader.context.clear_cookies()  # Now an anonymous reader, without the author's session.
    reader.reload()
    expect(reader.locator("#respond-title")).to_have_text("Leave a Comment")
    expect(reader.locator(".comment-held")).to_have_count(0)
    expect(reader.get_by_text("Is the ban still in force today?")).to_have_count(0)


def test_reply_link_opens_the_form_for_that_comment_and_the_reply_nests_under_it(thread, comment_site, reader):
    leo = thread["leo"]
    open_article(reader, comment_site)

    reader.get_by_role("link", name="Reply to Leo Martin").click()

    expect(reader.locator("#respond-title")).to_have_text("Reply to Leo Martin")
    if reader.javascript:  # comments.js moves the form under the comment, without a page load.
        expect(reader.locator(f"#c{leo.pk} #respond")).to_be_visible()
        expect(reader.locator("#id_comment")).to_be_focused()
    else:
        expect(reader).to_have_url(re.compile(rf"\?cpage=1&reply_to={leo.pk}#respond$"))
    fill_in_comment(reader, name="Grace Okafor", email=RETURNING_EMAIL, comment="Good to know, thank you Leo.")

    reply = reader.locator(f"#c{leo.pk} > ol.children > li")
    expect(reply.locator(".comment-author")).to_have_text("Grace Okafor")
    expect(reply.locator(".comment-text")).to_have_text("Good to know, thank you Leo.")
    expect(reply).to_have_class(re.compile(r"\bdepth-1\b"))
    if reader.javascript:
        screenshot(reader.locator("#comments"), "comment-thread")


@pytest.mark.parametrize("reader", [True], indirect=True, ids=["js-on"])
def test_reply_form_moved_under_a_comment_is_indented_like_that_comments_text(thread, comment_site, reader):
    leo = thread["leo"]
    open_article(reader, comment_site)

    reader.get_by_role("link", name="Reply to Leo Martin").click()

    form_left = reader.locator(f"#c{leo.pk} #respond").bounding_box()["x"]
    text_left = reader.locator(f"#c{leo.pk} .comment-text").first.bounding_box()["x"]
    assert form_left == pytest.approx(text_left, abs=1)


def test_cancel_reply_puts_the_form_back_under_the_thread(thread, comment_site, reader):
    open_article(reader, comment_site)
    reader.get_by_role("link", name="Reply to Leo Martin").click()
    expect(reader.locator("#respond-title")).to_have_text("Reply to Leo Martin")

    reader.get_by_role("link", name="Cancel reply").click()

    expect(reader.locator("#respond-title")).to_have_text("Leave a Comment")
    expect(reader.locator(".comment-list #respond")).to_have_count(0)
    expect(reader.locator("#comment-form input[name=reply_to]")).to_have_value("0")


def test_empty_comment_is_refused_with_the_error_by_the_field_and_the_rest_kept(comment_site, reader):
    open_article(reader, comment_site)

    fill_in_comment(reader, name="Nadia Khan", email="nadia@example.com", comment="")

    comment_field = reader.locator("p.field", has=reader.locator("#id_comment"))
    expect(comment_field.locator(".field-error")).to_have_text("Please write your comment.")
    expect(reader.get_by_label("Comment", exact=True)).to_have_accessible_description("Please write your comment.")
    expect(reader.locator(".form-error").last).to_contain_text("Your comment was not sent.")
    expect(reader.locator("#id_name")).to_have_value("Nadia Khan")
    expect(reader.locator("#id_email")).to_have_value("nadia@example.com")
    reader.get_by_label("Comment", exact=True).fill("Is the ban still in force today?")
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader.locator(".comment-held .comment-text")).to_have_text("Is the ban still in force today?")


def test_empty_reply_is_refused_and_stays_a_reply_to_that_comment(thread, comment_site, reader):
    leo = thread["leo"]
    open_article(reader, comment_site)
    reader.get_by_role("link", name="Reply to Leo Martin").click()

    fill_in_comment(reader, name="Grace Okafor", email=RETURNING_EMAIL, comment="")

    expect(reader.locator(".field-error")).to_have_text("Please write your comment.")
    expect(reader.locator("#respond-title")).to_have_text("Reply to Leo Martin")
    expect(reader.locator("#comment-form input[name=reply_to]")).to_have_value(str(leo.pk))
    reader.get_by_label("Comment", exact=True).fill("Good to know, thank you Leo.")
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader.locator(f"#c{leo.pk} > ol.children > li .comment-text")).to_have_text("Good to know, thank you Leo.")


@pytest.mark.parametrize("reader", [False], indirect=True, ids=["js-off"])
def test_without_javascript_a_first_comment_comes_back_once_with_its_text_then_posts(thread, comment_site, reader):
    open_article(reader, comment_site)
    form = reader.locator("#comment-form")
    form.get_by_label("Comment", exact=True).fill("Posted with JavaScript off.")
    form.get_by_label("Name", exact=True).fill("Grace Okafor")
    form.get_by_label("Email", exact=True).fill(RETURNING_EMAIL)
    form.get_by_role("button", name="Post Comment").click()

    expect(reader.get_by_role("alert").first).to_contain_text(NOT_POSTED_YET)
    expect(reader.get_by_label("Comment", exact=True)).to_have_value("Posted with JavaScript off.")
    expect(reader.get_by_label("Name", exact=True)).to_have_value("Grace Okafor")
    reader.get_by_role("button", name="Post Comment").click()
    posted = reader.locator(".comment-list > li").last
    expect(posted.locator(".comment-text")).to_have_text("Posted with JavaScript off.")


@pytest.mark.parametrize("reader", [True], indirect=True, ids=["js-on"])
def test_with_javascript_a_first_comment_fetches_its_token_and_posts_at_once(thread, comment_site, reader):
    open_article(reader, comment_site)
    expect(reader.locator("#comment-form input[name=csrfmiddlewaretoken]")).to_have_value("")
    form = reader.locator("#comment-form")
    form.get_by_label("Comment", exact=True).fill("Posted with JavaScript on.")
    form.get_by_label("Name", exact=True).fill("Grace Okafor")
    form.get_by_label("Email", exact=True).fill(RETURNING_EMAIL)
    expect(reader.locator("#comment-form input[name=csrfmiddlewaretoken]")).not_to_have_value("")
    form.get_by_role("button", name="Post Comment").click()

    posted = reader.locator(".comment-list > li").last
    expect(posted.locator(".comment-text")).to_have_text("Posted with JavaScript on.")
    expect(reader.get_by_text(NOT_POSTED_YET)).to_have_count(0)
