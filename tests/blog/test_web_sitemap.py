"""sitemap.xml and robots.txt: published articles, authors and home, with "Last Updated On" dates."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from pages.models import Page
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(client):
    """{path: lastmod} for every <url> in the sitemap."""
    response = client.get(reverse("blog:sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}urlset"
    return {
        "/" + url.findtext(f"{NS}loc").split("/", 3)[3]: url.findtext(f"{NS}lastmod") for url in root.iter(f"{NS}url")
    }


def test_sitemap_lists_home_article_and_author_with_last_updated_on(client, site_content):
    site_content.last_updated_on = datetime.date(2018, 1, 2)
    site_content.save()

    entries = sitemap_entries(client)

    assert entries == {
        reverse("blog:home"): "2018-01-02",
        site_content.get_absolute_url(): "2018-01-02",
        site_content.author.get_absolute_url(): "2018-01-02",
        **{category.get_absolute_url(): "2018-01-02" for category in site_content.categories.all()},
        **{tag.get_absolute_url(): "2018-01-02" for tag in site_content.tags.all()},
        **{page.get_absolute_url(): page.modified.date().isoformat() for page in Page.objects.all()},
    }


def test_sitemap_never_lists_drafts_or_scheduled_articles(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))

    entries = sitemap_entries(client)

    assert draft.get_absolute_url() not in entries
    assert scheduled.get_absolute_url() not in entries


def test_sitemap_lists_an_author_only_once_they_have_a_published_article(client):
    waiting = AuthorFactory()
    ArticleFactory(author=waiting, status=Article.Status.DRAFT)

    assert waiting.get_absolute_url() not in sitemap_entries(client)


def test_author_lastmod_is_their_latest_published_update(client):
    author = AuthorFactory()
    ArticleFactory(author=author, last_updated_on=datetime.date(2020, 5, 1))
    ArticleFactory(author=author, last_updated_on=datetime.date(2021, 6, 2))
    ArticleFactory(author=author, last_updated_on=datetime.date(2022, 7, 3), status=Article.Status.DRAFT)

    assert sitemap_entries(client)[author.get_absolute_url()] == "2021-06-02"


@pytest.mark.usefixtures("every_request_rendered")
def test_sitemap_query_count_does_not_grow_with_articles(client, django_assert_num_queries):
    ArticleFactory.create_batch(12)
    client.get(reverse("blog:sitemap"))

    # Home's lastmod, then a count and a page for articles and for authors, and a count of the (here empty)
    # categories, tags and static pages (tests/blog/test_content_sitemap.py counts them with content).
    with django_assert_num_queries(8):
        client.get(reverse("blog:sitemap"))


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get(reverse("blog:robots"))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    sitemap_lines = [line for line in response.content.decode().splitlines() if line.startswith("Sitemap: ")]
    assert sitemap_lines == [f"Sitemap: http://{Site.objects.get_current().domain}{reverse('blog:sitemap')}"]
    assert "Disallow: /admin/" in response.content.decode()
