"""The reader's journey in a real browser, with JavaScript on and off."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Why Xiaomi Smartphones Banned in Pakistan?"


def test_reader_browses_from_home_to_the_article_and_its_author(site, reader):
    reader.goto(site + "/")
    reader.get_by_role("link", name=TITLE).first.click()

    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator(".byline")).to_have_text("Written by Alison Johnson")
    expect(reader.locator(".updated")).to_have_text("(Last Updated On: 04/08/2016)")
    expect(reader.locator(".updated time")).to_have_attribute("datetime", "2016-08-04")
    expect(reader.locator(".article-body")).to_contain_text("Pakistan Telecommunication Authority has ordered")
    expect(reader.locator(".article-body blockquote")).to_have_count(3)
    expect(reader.locator(".about-author")).to_contain_text("She graduated from The University of Colorado")
    if reader.javascript:
        screenshot(reader, "article-desktop")

    reader.locator(".byline a").click()
    expect(reader).to_have_url(re.compile(r"/authors/alison-johnson/$"))
    expect(reader.locator("h1")).to_have_text("Alison Johnson")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.locator("h1")).to_have_text(TITLE)

    reader.go_back()
    expect(reader.locator("h1")).to_have_text("Alison Johnson")


def test_article_reads_well_on_a_phone(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(site + "/articles/why-xiaomi-smartphones-banned-in-pakistan/")

    expect(page.locator("h1")).to_have_text(TITLE)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    expect(page.locator(".site-name")).to_have_text("Mobile Tech Journal")
    screenshot(page, "article-mobile")
    context.close()
    assert page_width <= 390  # Nothing overflows sideways.


def test_unknown_page_shows_the_friendly_404(site, reader):
    response = reader.goto(site + "/articles/no-such-thing/")

    assert response.status == 404
    expect(reader.locator("h1")).to_have_text("Page not found")
    reader.get_by_role("link", name="Go to the latest articles").click()
    expect(reader.locator("h1")).to_have_text("Latest articles")
