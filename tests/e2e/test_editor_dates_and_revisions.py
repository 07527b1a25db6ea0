"""Editors in a real browser on the production-style server (gunicorn, no test transaction around a request):
restore a revision, try to move the date with a minor edit, publish an update with a note; readers read
the labelled dates. The admin's article list fits a 1280 px screen; the date picker opens on today."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article
from tests.comment_factories import CommentFactory
from tests.e2e.conftest import screenshot
from tests.e2e.test_editor_journey import TITLE, UPDATE, log_in, open_article_as_reader

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MINOR = "Minor edit: keeps “Last Updated On” and the update history"


def fits_without_sideways_scrolling(page):
    """Neither the page nor the admin's list table (which scrolls on its own) is wider than the window."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        " && [...document.querySelectorAll('#changelist .results')].every(t => t.scrollWidth <= t.clientWidth)"
    )


def open_change_form(page, site):
    page.goto(site + f"/admin/blog/article/{Article.objects.get().pk}/change/")
    expect(page.locator("#id_title")).to_have_value(TITLE)


def save(page):
    page.get_by_role("button", name="Save", exact=True).first.click()


def test_editor_reverts_a_vandalised_article_and_a_reader_sees_the_restored_text(
    cached_site, editor_page, editor_account, visitor
):
    log_in(editor_page, cached_site, editor_account.username)
    open_change_form(editor_page, cached_site)
    editor_page.locator("#id_title").fill("Vandalised title")
    save(editor_page)
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
    open_article_as_reader_titled(visitor, cached_site, "Vandalised title")

    open_change_form_titled(editor_page, cached_site, "Vandalised title")
    editor_page.locator("a.historylink").click()
    expect(editor_page.locator("#change-history")).to_contain_text("First version")
    editor_page.locator("#change-history tbody tr").last.get_by_role("link").click()
    editor_page.get_by_role("button", name="Revert").first.click()

    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Article.objects.get().title == TITLE
    editor_page.goto(cached_site + f"/admin/blog/article/{Article.objects.get().pk}/history/")
    latest = editor_page.locator("#change-history tbody tr").first
    expect(latest).to_contain_text("Restored revision")
    expect(latest).to_contain_text(editor_account.username)
    open_article_as_reader(visitor, cached_site)  # The page cache gave way to the restored title.


def open_article_as_reader_titled(page, site, title):
    page.goto(site + Article.objects.get().get_absolute_url())
    expect(page.locator("h1")).to_have_text(title)


def open_change_form_titled(page, site, title):
    page.goto(site + f"/admin/blog/article/{Article.objects.get().pk}/change/")
    expect(page.locator("#id_title")).to_have_value(title)


def test_minor_edit_that_moves_the_date_is_refused_with_its_reason_and_the_text_kept(site, editor_page, editor_account):
    log_in(editor_page, site, editor_account.username)
    open_change_form(editor_page, site)
    expect(editor_page.get_by_label(MINOR)).to_be_checked()
    editor_page.locator("#id_title").fill("Why Were Xiaomi Smartphones Banned in Pakistan?")
    editor_page.locator("#id_last_updated_on").fill("05/08/2016")
    save(editor_page)

    date_row = editor_page.locator(".form-row.field-last_updated_on")
    expect(date_row.locator(".errorlist")).to_contain_text("A minor edit keeps “Last Updated On” (04/08/2016)")
    expect(editor_page.locator("#id_last_updated_on")).to_have_value("05/08/2016")
    expect(editor_page.locator("#id_title")).to_have_value("Why Were Xiaomi Smartphones Banned in Pakistan?")
    screenshot(date_row, "admin-minor-edit-refused")
    article = Article.objects.get()
    assert (article.title, article.last_updated_on) == (TITLE, datetime.date(2016, 8, 4))


def test_update_with_a_note_reaches_readers_with_labelled_dates(cached_site, editor_page, editor_account, visitor):
    open_article_as_reader(visitor, cached_site)
    expect(visitor.locator(".published")).to_have_text("Published 04/08/2016")
    expect(visitor.locator(".updated")).to_have_text("(Last Updated On: 04/08/2016)")

    log_in(editor_page, cached_site, editor_account.username)
    open_change_form(editor_page, cached_site)
    editor_page.get_by_label(UPDATE).check()
    editor_page.get_by_label("Change note").fill("The PTA has since approved Xiaomi's new models.")
    save(editor_page)
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    today = timezone.localdate()
    visitor.reload()
    expect(visitor.locator(".published")).to_have_text("Published 04/08/2016")
    expect(visitor.locator(".updated")).to_have_text(f"(Last Updated On: {today:%d/%m/%Y})")
    expect(visitor.locator(".update-history li")).to_have_text(
        [f"{today:%d/%m/%Y}: The PTA has since approved Xiaomi's new models.", "04/08/2016: Published"]
    )
    visitor.goto(cached_site + "/")
    byline = visitor.locator(".summary .byline")
    expect(byline).to_contain_text("Published 04/08/2016")
    expect(byline).to_contain_text(f"Last Updated On {today:%d/%m/%Y}")
    screenshot(visitor.locator(".summary").first, "home-labelled-dates")


def test_reader_reads_the_labelled_dates_of_the_article(reader, site):
    reader.goto(site + Article.objects.get().get_absolute_url())

    header = reader.locator(".article-header")
    expect(header.locator(".published")).to_have_text("Published 04/08/2016")
    expect(header.locator(".updated")).to_have_text("(Last Updated On: 04/08/2016)")
    expect(header.locator(".published time")).to_have_attribute("datetime", "2016-08-04T09:00:00+00:00")
    reader.goto(site + "/")
    expect(reader.locator(".summary .byline")).to_have_text("By Alison Johnson · Published 04/08/2016")


def test_article_list_shows_every_column_at_1280_px_without_sideways_scrolling(site, editor_page, editor_account):
    article = Article.objects.get()
    CommentFactory.create_batch(2, article=article)
    CommentFactory.create_batch(12, article=article, is_public=False)  # "2 · 12 held", the widest it gets.
    log_in(editor_page, site, editor_account.username)
    editor_page.goto(site + "/admin/blog/article/")
    screenshot(editor_page, "admin-article-list")

    headers = editor_page.locator("#result_list thead th")
    for name in ("Title", "Author", "Status", "Publication date", "Last Updated On", "Comments"):
        expect(headers.filter(has_text=name).first).to_be_visible()
    expect(editor_page.locator("#result_list td.field-comments")).to_have_text("2 · 12 held")
    assert editor_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert editor_page.evaluate(
        "(() => { const t = document.querySelector('#changelist .results'); return t.scrollWidth <= t.clientWidth; })()"
    )


def test_date_picker_opens_on_this_month(site, editor_page, editor_account):
    log_in(editor_page, site, editor_account.username)
    open_change_form(editor_page, site)

    editor_page.locator(".field-last_updated_on .date-icon").click()

    today = timezone.localdate()
    caption = editor_page.locator(".calendarbox:visible caption")
    expect(caption).to_have_text(f"{today:%B} {today.year}")


def test_editor_follows_the_index_count_of_held_comments_to_the_held_list(site, editor_page, editor_account):
    article = Article.objects.get()
    parent = CommentFactory(article=article, user_name="Nadia Khan")
    CommentFactory(article=article, parent=parent, is_public=False, user_name="Imran Ali", comment="A held reply.")
    CommentFactory(article=article, is_public=False, comment="A held comment.")
    log_in(editor_page, site, editor_account.username)

    screenshot(editor_page, "admin-index")
    editor_page.get_by_role("link", name="2 comments are awaiting moderation").click()

    expect(editor_page.locator("#result_list tbody tr")).to_have_count(2)
    reply_row = editor_page.locator("#result_list tbody tr", has_text="A held reply.")
    expect(reply_row.locator("td.field-in_reply_to")).to_have_text("Reply to Nadia Khan")
    expect(editor_page.locator(".breadcrumbs")).to_have_text("Home › Moderation › Comments")
    assert fits_without_sideways_scrolling(editor_page)
    screenshot(editor_page, "admin-held-comments")
