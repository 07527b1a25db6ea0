"""Cached public pages follow the content model: a renamed tag or category, a new footer page, an image's new
alt text and an article's new tags show at once (blog.receivers.public_pages_changed).

Invalidation happens on commit, hence real transactions (transaction=True), as in test_perf_cache.py."""

import pytest
from django.urls import reverse

from blog.models import Tag
from tests.factories import ImageFactory, PageFactory
from tests.perf import locmem_page_cache  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("locmem_page_cache"),
]


def test_cached_article_page_shows_a_renamed_tag(client, site_content):
    assert ">PTA</a>" in client.get(site_content.get_absolute_url()).content.decode()
    tag = Tag.objects.get(slug="pta")
    tag.name = "Telecom regulator"
    tag.save()

    assert ">Telecom regulator</a>" in client.get(site_content.get_absolute_url()).content.decode()


def test_cached_article_page_shows_tags_added_to_it(client, site_content):
    client.get(site_content.get_absolute_url())
    site_content.tags.add(Tag.objects.create(name="Smartphones", slug="smartphones"))

    assert ">Smartphones</a>" in client.get(site_content.get_absolute_url()).content.decode()


def test_cached_home_page_shows_a_new_footer_page(client, site_content):
    client.get(reverse("blog:home"))
    PageFactory(title="Contact", slug="contact", menu_order=3)

    assert '<a href="/contact/">Contact</a>' in client.get(reverse("blog:home")).content.decode()


def test_cached_article_page_shows_its_featured_images_new_alt_text(client, site_content):
    image = ImageFactory(alt_text="Old words")
    site_content.featured_image = image
    site_content.save()
    client.get(site_content.get_absolute_url())
    image.alt_text = "New words"
    image.save()

    assert 'alt="New words"' in client.get(site_content.get_absolute_url()).content.decode()
