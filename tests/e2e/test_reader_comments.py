"""The reader's journey through "Leave a Comment" in a real browser, with JavaScript on and off."""

import datetime
import re

import pytest
from django.core import signing
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article
from comments.cookies import POSTED_COOKIE, POSTED_SALT
from tests.comment_factories import CommentFactory
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RETURNING_EMAIL = "grace@example.com"


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def thread(comment_site, reader):
    """A small conversation on the seed article, three levels deep; Grace has commented before, from the
    reader's browser (which carries the signed list of its comments, as after posting them)."""
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
    posted = signing.dumps([grace.pk], salt=POSTED_SALT)
    reader.context.add_cookies([{"name": POSTED_COOKIE, "value": posted, "url": comment_site}])
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


def test_returning_commenters_comment_appears_at_once(thread, comment_site, reader):
    open_article(reader, comment_site)

    fill_in_comment(reader, name="Grace Okafor", email=RETURNING_EMAIL, comment="The store in Lahore is real: I went.")

    expect(reader).to_have_url(re.compile(r"\?cpage=1#c\d+$"))
    posted = reader.locator(".comment-list > li").last
    expect(posted.locator(".comment-author")).to_have_text("Grace Okafor")
    expect(posted.locator(".comment-text")).to_have_text("The store in Lahore is real: I went.")
    expect(reader.locator("#comments-title")).to_have_text("5 Comments")
    expect(reader.locator(".comment-held")).to_have_count(0)


def test_another_browser_typing_a_returning_commenters_email_waits_for_moderation(thread, comment_site, reader):
    other = reader.context.browser.new_context(java_script_enabled=reader.javascript).new_page()
    open_article(other, comment_site)

    fill_in_comment(other, name="Grace Okafor", email=RETURNING_EMAIL, comment="Not really Grace.")

    expect(other.locator(".comment-held .comment-text")).to_have_text("Not really Grace.")
    expect(other.locator("#comments-title")).to_have_text("4 Comments")
    other.context.close()


def test_first_comment_waits_for_moderation_and_only_its_author_sees_it(comment_site, reader):
    open_article(reader, comment_site)

    fill_in_comment(reader, name="Nadia Khan", email="nadia@example.com", comment="Is the ban still in force today?")

    held = reader.locator(".comment-held")
    expect(held.locator(".comment-held-note")).to_have_text("Your comment is awaiting moderation.")
    expect(held.locator(".comment-text")).to_have_text("Is the ban still in force today?")
    expect(reader.locator("#comments-title")).to_have_text("No published comments yet")
    expect(reader.locator("#comments-title + .comments-held-notice")).to_contain_text("awaiting moderation")

    expect(reader).to_have_url(re.compile(r"\?unapproved=\d+&moderation-hash=\w+#c\d+$"))

    other = reader.context.browser.new_context(java_script_enabled=reader.javascript).new_page()
    open_article(other, comment_site)  # Another reader, at the article's own address.
    expect(other.locator(".comment-held")).to_have_count(0)
    expect(other.get_by_text("Is the ban still in force today?")).to_have_count(0)
    other.context.close()


def test_held_reply_stays_in_its_place_when_its_author_comes_back_and_no_one_else_sees_it(thread, comment_site, reader):
    """Post a reply that waits for moderation, leave, come back to the article's plain address: with
    JavaScript, the reply is under the comment it answers, marked so (comments.js asks the private
    /comments/held/ answer); without it, the public page cannot know the reader, and the private link shows it
    in the same place. Another browser never sees it."""
    leo = thread["leo"]
    open_article(reader, comment_site)
    reader.get_by_role("link", name="Reply to Leo Martin").click()
    fill_in_comment(reader, name="Nadia Khan", email="nadia@example.com", comment="Was the store open on Sunday?")

    held = reader.locator(f"#c{leo.pk} > ol.children > li.comment-held")
    expect(held.locator(".comment-held-note")).to_have_text("Your comment is awaiting moderation.")
    expect(held.locator(".comment-text")).to_have_text("Was the store open on Sunday?")
    expect(reader.locator("#comments-title")).to_have_text("4 Comments")  # Published ones only.
    expect(reader.locator("#comments-title + .comments-held-notice")).to_be_visible()
    private_link = reader.url

    reader.goto(comment_site + "/")  # Leave...
    open_article(reader, comment_site)  # ...and come back to the plain address.

    if reader.javascript:
        expect(held.locator(".comment-held-note")).to_have_text("Your comment is awaiting moderation.")
        expect(held.locator(".comment-text")).to_have_text("Was the store open on Sunday?")
        expect(held).to_have_class(re.compile(r"\bdepth-1\b"))
        expect(reader.locator("#comments-title")).to_have_text("4 Comments")
        expect(reader.locator("#comments-title + .comments-held-notice")).to_be_visible()
        expect(reader.locator(".comment-held")).to_have_count(1)
        screenshot(reader.locator("#comments"), "comment-held")
    else:
        expect(reader.locator(".comment-held")).to_have_count(0)
        reader.goto(private_link)
        expect(held.locator(".comment-text")).to_have_text("Was the store open on Sunday?")

    other = reader.context.browser.new_context(java_script_enabled=reader.javascript).new_page()
    open_article(other, comment_site)
    expect(other.locator("#comments-title")).to_have_text("4 Comments")
    expect(other.locator(".comment-held")).to_have_count(0)
    expect(other.get_by_text("Was the store open on Sunday?")).to_have_count(0)
    other.context.close()


@pytest.fixture
def threads_on_two_pages(comment_site, reader):
    """Twenty-one threads on the seed article: twenty fill comments page 1, Leo Martin's is alone on page 2."""
    article = Article.objects.get()
    CommentFactory.create_batch(20, article=article, submit_date=hours_ago(30))
    return CommentFactory(
        article=article,
        submit_date=hours_ago(3),
        user_name="Leo Martin",
        comment="Xiaomi has since opened an official store in Lahore, so this may be old news.",
    )


def test_a_held_reply_on_another_comments_page_is_found_from_the_articles_address(
    threads_on_two_pages, comment_site, reader
):
    """Reply on comments page 2, leave, come back to the article's plain address (page 1): with JavaScript, a
    notice under the heading says the reply awaits moderation and links to the page where it is, under Leo's
    comment; without it, the private link still shows it there. Another browser sees neither."""
    leo = threads_on_two_pages
    article_url = comment_site + Article.objects.get().get_absolute_url()
    reader.goto(article_url + "?cpage=2")
    reader.get_by_role("link", name="Reply to Leo Martin").click()
    fill_in_comment(reader, name="Nadia Khan", email="nadia@example.com", comment="Was the store open on Sunday?")
    held = reader.locator(f"#c{leo.pk} > ol.children > li.comment-held")
    expect(held.locator(".comment-text")).to_have_text("Was the store open on Sunday?")
    expect(reader).to_have_url(re.compile(r"\?cpage=2&unapproved=\d+&moderation-hash=\w+#c\d+$"))
    private_link = reader.url

    reader.goto(comment_site + "/")  # Leave...
    open_article(reader, comment_site)  # ...and come back to the plain address: comments page 1.

    notice = reader.locator(".comments-held-elsewhere")
    if reader.javascript:
        expect(notice).to_have_text(
            "Your reply to Leo Martin is awaiting moderation: only you can see it, under their comment on comments "
            "page 2, until an editor approves it."
        )
        expect(reader.locator("#comments-title + .comments-held-elsewhere")).to_be_visible()
        expect(reader.locator(".comment-held")).to_have_count(0)  # Not out of place on page 1.
        screenshot(reader.locator("#comments-title"), "comment-held-elsewhere", margin=60)
        notice.get_by_role("link", name="comments page 2").click()
        expect(reader).to_have_url(re.compile(r"\?cpage=2#c\d+$"))
        expect(held.locator(".comment-held-note")).to_have_text("Your comment is awaiting moderation.")
        expect(held.locator(".comment-text")).to_have_text("Was the store open on Sunday?")
        expect(held).to_be_in_viewport()
        expect(reader.locator(".comments-held-elsewhere")).to_have_count(0)  # In its place here: no need.
    else:
        expect(notice).to_have_count(0)
        reader.goto(private_link)
        expect(held.locator(".comment-text")).to_have_text("Was the store open on Sunday?")

    other = reader.context.browser.new_context(java_script_enabled=reader.javascript).new_page()
    for query in ("", "?cpage=2"):
        other.goto(article_url + query)
        expect(other.locator("#respond-title")).to_have_text("Leave a Comment")
        expect(other.locator(".comments-held-elsewhere")).to_have_count(0)
        expect(other.locator(".comment-held")).to_have_count(0)
        expect(other.get_by_text("Was the store open on Sunday?")).to_have_count(0)
    other.context.close()


@pytest.mark.parametrize("reader", [True], indirect=True, ids=["js-on"])
def test_a_held_first_comment_comes_back_at_the_end_of_an_empty_thread(comment_site, reader):
    open_article(reader, comment_site)
    fill_in_comment(reader, name="Nadia Khan", email="nadia@example.com", comment="Is the ban still in force today?")

    open_article(reader, comment_site)

    expect(reader.locator("#comments-title")).to_have_text("No published comments yet")
    expect(reader.locator(".comment-list > li.comment-held .comment-text")).to_have_text(
        "Is the ban still in force today?"
    )


def test_reply_link_opens_the_form_for_that_comment_and_the_reply_nests_under_it(thread, comment_site, reader):
    leo = thread["leo"]
    open_article(reader, comment_site)

    reader.get_by_role("link", name="Reply to Leo Martin").click()

    expect(reader.locator("#respond-title")).to_have_text("Reply to Leo Martin")
    if reader.javascript:  # comments.js moves the form under the comment, without a page load.
        expect(reader.locator(f"#c{leo.pk} #respond")).to_be_visible()
        expect(reader.locator("#id_comment")).to_be_focused()
    else:
        expect(reader).to_have_url(re.compile(rf"/comments/reply/{leo.pk}/$"))
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


def test_a_first_comment_posts_with_one_press(thread, comment_site, reader):
    """The page is the same for every reader and carries no CSRF token: nothing to fetch, nothing to confirm."""
    open_article(reader, comment_site)
    expect(reader.locator("#comment-form input[name=csrfmiddlewaretoken]")).to_have_count(0)
    form = reader.locator("#comment-form")
    form.get_by_label("Comment", exact=True).fill("Posted with one press.")
    form.get_by_label("Name", exact=True).fill("Grace Okafor")
    form.get_by_label("Email", exact=True).fill(RETURNING_EMAIL)
    form.get_by_role("button", name="Post Comment").click()

    posted = reader.locator(".comment-list > li").last
    expect(posted.locator(".comment-text")).to_have_text("Posted with one press.")
    expect(reader.get_by_role("alert")).to_have_count(0)


@pytest.mark.parametrize("reader", [True], indirect=True, ids=["js-on"])
def test_remembered_details_fill_the_form_on_the_next_visit_and_reach_no_other_reader(thread, comment_site, reader):
    open_article(reader, comment_site)
    form = reader.locator("#comment-form")
    form.get_by_label("Comment", exact=True).fill("Remember me, please.")
    form.get_by_label("Name", exact=True).fill("Grace Okafor")
    form.get_by_label("Email", exact=True).fill(RETURNING_EMAIL)
    form.get_by_label("Save my name, email, and website in this browser for the next time I comment.").check()
    form.get_by_role("button", name="Post Comment").click()
    expect(reader.locator(".comment-list > li").last.locator(".comment-text")).to_have_text("Remember me, please.")

    open_article(reader, comment_site)

    expect(reader.locator("#id_name")).to_have_value("Grace Okafor")
    expect(reader.locator("#id_email")).to_have_value(RETURNING_EMAIL)
    other = reader.context.browser.new_context().new_page()
    open_article(other, comment_site)
    expect(other.locator("#id_name")).to_have_value("")
    expect(other.locator("#id_email")).to_have_value("")
    other.context.close()
