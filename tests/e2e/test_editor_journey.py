"""The editor's journey in a real browser: log in, change "Last Updated On" with the date picker."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article

from .conftest import EDITOR_PASSWORD, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def log_in(page, site, username):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_editor_changes_last_updated_on_with_the_date_picker_and_readers_see_it(site, editor_page, editor_account):
    log_in(editor_page, site, editor_account.username)
    editor_page.get_by_role("link", name="Articles").click()
    editor_page.get_by_role("link", name="Why Xiaomi Smartphones Banned in Pakistan?").click()
    expect(editor_page.locator("#id_last_updated_on")).to_have_value("04/08/2016")

    # Django's date picker: the calendar icon opens it; "Today" fills in today's date.
    editor_page.locator("#calendarlink1").click()
    editor_page.locator("#calendarbox1").get_by_role("link", name="Today").click()
    today = timezone.localdate()
    expect(editor_page.locator("#id_last_updated_on")).to_have_value(f"{today:%d/%m/%Y}")
    screenshot(editor_page, "admin-change-form")
    editor_page.get_by_role("button", name="Save", exact=True).first.click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    assert Article.objects.get().last_updated_on == today
    editor_page.goto(site + "/articles/why-xiaomi-smartphones-banned-in-pakistan/")
    expect(editor_page.locator(".updated")).to_have_text(f"(Last Updated On: {today:%d/%m/%Y})")
    expect(editor_page.locator(".updated time")).to_have_attribute("datetime", today.isoformat())
    assert today != datetime.date(2016, 8, 4)
