"""The editor's journey in a real browser, on a server whose anonymous pages come from the page cache:
log in, date an update with the date picker, approve a held comment; readers see both at once."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article
from tests.e2e.conftest import EDITOR_PASSWORD, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Why Xiaomi Smartphones Banned in Pakistan?"
UPDATE = "Update: new “Last Updated On”, with a note"


def log_in(page, site, username):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def open_article_as_reader(page, site):
    """The public article page, read anonymously (so the page cache keeps it)."""
    page.goto(site + Article.objects.get().get_absolute_url())
    expect(page.locator("h1")).to_have_text(TITLE)


def test_editor_dates_an_update_with_the_date_picker_and_readers_see_it(
    cached_site, page_cache, editor_page, editor_account, visitor
):
    open_article_as_reader(visitor, cached_site)
    expect(visitor.locator(".updated")).to_have_text("(Last Updated On: 04/08/2016)")
    expect(visitor.locator(".update-history")).to_have_count(0)
    assert page_cache.keys() != []  # The reader's page is now in the cache.

    log_in(editor_page, cached_site, editor_account.username)
    editor_page.get_by_role("link", name="Articles").click()
    editor_page.get_by_role("link", name=TITLE).click()
    expect(editor_page.locator("#id_last_updated_on")).to_have_value("04/08/2016")
    # Django's date picker: the calendar icon opens it; its shortcuts fill in a date.
    editor_page.locator("#calendarlink1").click()
    editor_page.locator("#calendarbox1").get_by_role("link", name="Yesterday").click()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expect(editor_page.locator("#id_last_updated_on")).to_have_value(f"{yesterday:%d/%m/%Y}")
    editor_page.get_by_label(UPDATE).check()
    editor_page.get_by_label("Change note").fill("The PTA has since approved Xiaomi's new models.")
    editor_page.get_by_label("Change note").blur()
    screenshot(editor_page, "admin-change-form")
    editor_page.get_by_role("button", name="Save", exact=True).first.click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor.reload()
    expect(visitor.locator(".updated")).to_have_text(f"(Last Updated On: {yesterday:%d/%m/%Y})")
    expect(visitor.locator(".updated time")).to_have_attribute("datetime", yesterday.isoformat())
    expect(visitor.locator(".update-history li")).to_have_text(
        [f"{yesterday:%d/%m/%Y}: The PTA has since approved Xiaomi's new models.", "04/08/2016: Published"]
    )


def test_update_without_a_note_is_refused_next_to_the_note_field(cached_site, editor_page, editor_account):
    log_in(editor_page, cached_site, editor_account.username)
    editor_page.goto(cached_site + f"/admin/blog/article/{Article.objects.get().pk}/change/")

    editor_page.get_by_label(UPDATE).check()
    editor_page.get_by_role("button", name="Save", exact=True).first.click()

    note_row = editor_page.locator(".form-row.field-change_note")
    expect(note_row.locator(".errorlist")).to_have_text("An update needs a one-line change note for readers.")
    expect(editor_page.get_by_label(UPDATE)).to_be_checked()
    assert Article.objects.get().last_updated_on == datetime.date(2016, 8, 4)


def test_editor_approves_a_held_comment_and_readers_see_it(
    cached_site, page_cache, editor_page, editor_account, visitor
):
    open_article_as_reader(visitor, cached_site)
    visitor.get_by_label("Comment", exact=True).fill("Is the ban still in force today?")
    visitor.get_by_label("Name", exact=True).fill("Nadia Khan")
    visitor.get_by_label("Email", exact=True).fill("nadia@example.com")
    visitor.get_by_role("button", name="Post Comment").click()
    expect(visitor.locator(".comment-held-note")).to_have_text("Your comment is awaiting moderation.")
    visitor.context.clear_cookies()  # From here on, any anonymous reader.
    visitor.reload()  # The private link, which proves its holder by its hash: it shows the held comment still.
    expect(visitor.locator("#comments-title")).to_have_text("No published comments yet")
    assert page_cache.keys() != []

    log_in(editor_page, cached_site, editor_account.username)
    editor_page.locator(".model-xtdcomment").get_by_role("link", name="Comments").click()
    editor_page.get_by_role("link", name="Awaiting moderation").click()
    held_row = editor_page.locator("#result_list tbody tr", has_text="Is the ban still in force today?")
    held_row.locator("input.action-select").check()
    editor_page.get_by_label("Action:").select_option(label="Approve selected comments")
    editor_page.get_by_role("button", name="Go").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("1 comment approved.")

    visitor.reload()
    expect(visitor.locator("#comments-title")).to_have_text("1 Comment")
    approved = visitor.locator(".comment-list > li")
    expect(approved.locator(".comment-author")).to_have_text("Nadia Khan")
    expect(approved.locator(".comment-text")).to_have_text("Is the ban still in force today?")
    expect(visitor.locator(".comment-held")).to_have_count(0)
