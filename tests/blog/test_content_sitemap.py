"""The sitemap lists every category and tag with a published article (lastmod: its latest update) and every
published static page, in a number of queries that does not grow with them."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from blog.models import Article
from tests.factories import ArticleFactory, CategoryFactory, PageFactory, TagFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(client):
    root = ET.fromstring(client.get(reverse("blog:sitemap")).content)
    return {
        "/" + url.findtext(f"{NS}loc").split("/", 3)[3]: url.findtext(f"{NS}lastmod") for url in root.iter(f"{NS}url")
    }


def test_categories_and_tags_are_listed_with_their_latest_published_update(client):
    news = CategoryFactory(slug="news")
    mobile = CategoryFactory(slug="mobile", parent=news)
    tag = TagFactory(slug="pta")
    older = ArticleFactory(last_updated_on=datetime.date(2020, 1, 1))
    newer = ArticleFactory(last_updated_on=datetime.date(2021, 1, 1))
    draft = ArticleFactory(last_updated_on=datetime.date(2022, 1, 1), status=Article.Status.DRAFT)
    older.categories.add(news)
    newer.categories.add(mobile)
    for article in (older, newer, draft):
        article.tags.add(tag)

    entries = sitemap_entries(client)

    assert entries["/category/news/"] == "2021-01-01"  # Its subcategory's article counts: it is on the page.
    assert entries["/category/news/mobile/"] == "2021-01-01"
    assert entries["/tag/pta/"] == "2021-01-01"


def test_empty_categories_and_tags_and_draft_pages_are_left_out(client):
    CategoryFactory(slug="empty")
    TagFactory(slug="unused")
    ArticleFactory(status=Article.Status.DRAFT).tags.add(TagFactory(slug="draft-only"))
    PageFactory(slug="draft-page", status="draft")
    PageFactory(slug="contact")

    entries = sitemap_entries(client)

    assert "/contact/" in entries
    assert not {"/category/empty/", "/tag/unused/", "/tag/draft-only/", "/draft-page/"} & set(entries)


@pytest.mark.usefixtures("every_request_rendered")
def test_sitemap_queries_do_not_grow_with_categories_tags_and_pages(client, django_assert_num_queries):
    def add_content():
        article = ArticleFactory()
        article.categories.add(CategoryFactory())
        article.tags.add(TagFactory())
        PageFactory()

    add_content()
    client.get(reverse("blog:sitemap"))
    with django_assert_num_queries(11):  # Home's lastmod, then a count and a page for each of five sections.
        client.get(reverse("blog:sitemap"))

    for _ in range(5):
        add_content()
    with django_assert_num_queries(11):
        client.get(reverse("blog:sitemap"))
