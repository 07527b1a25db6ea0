"""Social card images: 1200x630 PNGs drawn once per content and kept in media storage."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageFont

from blog.models import Article
from blog.social_cards import TITLE_MAX_LINES, card_name, wrap
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def card_url(article):
    return reverse("blog:social_card", kwargs={"slug": article.slug})


def test_card_is_a_1200_by_630_png(client, site_content):
    response = client.get(card_url(site_content))

    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_card_is_saved_in_media_storage(client, site_content):
    client.get(card_url(site_content))

    assert default_storage.exists(card_name(site_content, "Mobile Tech Journal"))


def test_card_is_served_from_storage_once_drawn(client, site_content):
    """A second request reads the stored file instead of drawing the card again."""
    client.get(card_url(site_content))
    name = card_name(site_content, "Mobile Tech Journal")
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"stored card"))

    assert b"".join(client.get(card_url(site_content)).streaming_content) == b"stored card"


def test_card_is_drawn_again_when_the_title_changes(client, site_content):
    before = card_name(site_content, "Mobile Tech Journal")
    site_content.title = "Xiaomi is back on sale in Pakistan"
    site_content.save()

    client.get(card_url(site_content))

    assert card_name(site_content, "Mobile Tech Journal") != before
    assert default_storage.exists(card_name(site_content, "Mobile Tech Journal"))


def test_drawing_a_new_card_deletes_the_outdated_one_only(client, site_content):
    neighbour = ArticleFactory(slug=f"{site_content.slug}-follow-up")
    client.get(card_url(site_content))
    client.get(card_url(neighbour))
    outdated = card_name(site_content, "Mobile Tech Journal")
    site_content.title = "A new title"
    site_content.save()

    client.get(card_url(site_content))

    assert not default_storage.exists(outdated)
    assert default_storage.exists(card_name(site_content, "Mobile Tech Journal"))
    assert default_storage.exists(card_name(neighbour, "Mobile Tech Journal"))


def test_card_of_a_draft_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert client.get(card_url(draft)).status_code == 404


def test_card_may_be_cached_by_browsers_and_link_previews(client, site_content):
    response = client.get(card_url(site_content))

    assert response["Cache-Control"] == "public, max-age=86400"


def test_stored_card_takes_one_query(client, site_content, django_assert_num_queries):
    client.get(card_url(site_content))

    with django_assert_num_queries(1):  # The article with its author.
        client.get(card_url(site_content))


def test_long_titles_wrap_within_the_card_and_end_with_an_ellipsis():
    font = ImageFont.load_default(size=64)
    title = "A very long headline about smartphones " * 6

    lines = wrap(title, font, 1040, TITLE_MAX_LINES)

    assert len(lines) == TITLE_MAX_LINES
    assert all(font.getlength(line) <= 1040 for line in lines)
    assert lines[-1].endswith("…")
