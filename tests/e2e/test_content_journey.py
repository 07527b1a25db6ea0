"""The content model in a real browser, on a page-cached server: an editor uploads an image with alt text, places
it in the article with "Insert image", tags it with a new tag and fixes its slug; a reader following the old
address is redirected, sees the image with srcset, and finds the article on the tag's page."""

import io
import re

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from blog.models import Article
from tests.e2e.conftest import HUMAN_SPEED, REDIS_URL, screenshot
from tests.e2e.test_editor_journey import log_in
from tests.servers import production_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OLD_PATH = "/articles/why-xiaomi-smartphones-banned-in-pakistan/"
NEW_SLUG = "xiaomi-smartphones-banned-in-pakistan"


@pytest.fixture
def media_site(transactional_db, django_db_serialized_rollback, page_cache, tmp_path):
    """The seed content on a page-cached server that keeps uploads in a temporary folder."""
    call_command("load_site_content", verbosity=0)
    extra_env = {
        **HUMAN_SPEED,
        "PAGE_CACHE": "1",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": page_cache.prefix,
        "MEDIA_ROOT": str(tmp_path),
    }
    with production_server(extra_env=extra_env) as base_url:
        yield base_url


def photo_bytes():
    output = io.BytesIO()
    Image.new("RGB", (1800, 1200), "#2a6f97").save(output, format="JPEG")
    return output.getvalue()


def pick(page, field, search, option):
    """Choose `option` in the admin's autocomplete (select2) for `field`, after typing `search`."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_editor_places_an_image_and_tags_and_renames_the_article_readers_follow(
    media_site, editor_page, editor_account, visitor
):
    visitor.goto(media_site + OLD_PATH)  # Now in the page cache.
    log_in(editor_page, media_site, editor_account.username)

    editor_page.goto(media_site + "/admin/images/image/add/")
    editor_page.get_by_label("File").set_input_files(
        files=[{"name": "stall.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    editor_page.get_by_label("Alt text").fill("A phone stall in a Lahore market")
    editor_page.get_by_label("Caption").fill("Phones on sale in Lahore.")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was added successfully")

    editor_page.goto(media_site + f"/admin/blog/article/{Article.objects.get().pk}/change/")
    body = editor_page.locator("#id_body")
    body.click()
    body.press("Control+End")
    pick(editor_page, "insert_image", "stall", "A phone stall in a Lahore market")
    expect(body).to_have_value(re.compile(r"\n\n\[image:\d+\]\n\n$"))
    pick(editor_page, "tags", "Smartphones", "Smartphones (new tag)")
    editor_page.locator("#id_slug").fill(NEW_SLUG)
    screenshot(editor_page, "admin-article-content-fields")
    editor_page.get_by_role("button", name="Save", exact=True).first.click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")

    response = visitor.goto(media_site + OLD_PATH)
    assert response.url == media_site + f"/articles/{NEW_SLUG}/"
    assert response.request.redirected_from.response().status == 301
    figure = visitor.locator(".article-body figure")
    expect(figure.locator("figcaption")).to_have_text("Phones on sale in Lahore.")
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", "A phone stall in a Lahore market")
    assert " 480w" in image.get_attribute("srcset")
    assert " 1600w" in figure.locator("source").get_attribute("srcset")
    image.scroll_into_view_if_needed()
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

    visitor.get_by_role("link", name="Smartphones").click()
    expect(visitor.locator("h1")).to_have_text("Tag: Smartphones")
    expect(visitor.locator(".summary h2")).to_have_text(["Why Xiaomi Smartphones Banned in Pakistan?"])
    screenshot(visitor, "tag-page")
