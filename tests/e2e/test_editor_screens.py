"""The editor's screens at 1280 px in Chromium: a tall body box, wide alt text and caption fields, and a History
whose change summaries are word diffs."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_editor_journey import TITLE, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_body_box_is_tall_enough_for_an_article(site, editor_page, editor_account):
    log_in(editor_page, site, editor_account.username)
    editor_page.get_by_role("link", name="Articles").click()
    editor_page.get_by_role("link", name=TITLE).click()

    body = editor_page.locator("#id_body").bounding_box()
    assert body["height"] >= 480, body
    assert body["width"] >= 600, body
    screenshot(editor_page.locator(".field-body"), "admin-body-box")


def test_alt_text_and_caption_fields_are_wide(site, editor_page, editor_account):
    log_in(editor_page, site, editor_account.username)
    editor_page.goto(site + "/admin/images/image/add/")

    for field in ("#id_alt_text", "#id_caption"):
        box = editor_page.locator(field).bounding_box()
        assert box["width"] >= 600, (field, box)
    screenshot(editor_page, "admin-image-fields")


def test_history_shows_what_changed_in_the_body_as_a_diff(site, editor_page, editor_account):
    log_in(editor_page, site, editor_account.username)
    editor_page.get_by_role("link", name="Articles").click()
    editor_page.get_by_role("link", name=TITLE).click()
    body = editor_page.locator("#id_body")
    body.fill(body.input_value().replace("It was doing well", "It had been doing well", 1))
    editor_page.get_by_role("button", name="Save and continue editing").first.click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    editor_page.get_by_role("link", name="History").click()

    diff = editor_page.locator(".history-diff").first
    expect(diff.locator("del")).to_have_text("was")
    expect(diff.locator("ins")).to_have_text("had been")
    expect(editor_page.locator("#change-history")).not_to_contain_text("chars]")
    screenshot(editor_page, "admin-history-diff")
