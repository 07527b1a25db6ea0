"""Category and tag archives: published articles only, paginated, 404 when empty, meta tags, feeds, constant SQL;
the article page links its categories and tags; the header and home page show the top-level categories."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from blog.models import Article, Category
from tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_tag_page_lists_its_published_articles_newest_first(client):
    tag = TagFactory(name="Xiaomi")
    older = ArticleFactory(title="Older", published_at=timezone.now() - datetime.timedelta(days=3))
    newer = ArticleFactory(title="Newer")
    ArticleFactory(title="Untagged")
    older.tags.add(tag)
    newer.tags.add(tag)

    response = client.get(tag.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["articles"]) == [newer, older]
    assert "Untagged" not in response.content.decode()


def test_archives_hide_drafts_and_scheduled_articles(client):
    tag, category = TagFactory(), CategoryFactory()
    shown = ArticleFactory(title="Shown")
    draft = ArticleFactory(title="Draft piece", status=Article.Status.DRAFT)
    scheduled = ArticleFactory(title="Future piece", published_at=timezone.now() + datetime.timedelta(days=1))
    for article in (shown, draft, scheduled):
        article.tags.add(tag)
        article.categories.add(category)

    for url in (tag.get_absolute_url(), category.get_absolute_url()):
        assert list(client.get(url).context["articles"]) == [shown]


def test_empty_archives_are_404(client):
    tag, category = TagFactory(), CategoryFactory()
    ArticleFactory(status=Article.Status.DRAFT).tags.add(tag)

    assert client.get(tag.get_absolute_url()).status_code == 404
    assert client.get(category.get_absolute_url()).status_code == 404
    assert client.get(reverse("blog:tag", args=["no-such-tag"])).status_code == 404
    assert client.get(reverse("blog:category", args=["no/such"])).status_code == 404


def test_category_page_includes_articles_of_its_subcategories_once(client):
    news = CategoryFactory(name="News", slug="news")
    mobile = CategoryFactory(name="Mobile", slug="mobile", parent=news)
    article = ArticleFactory()
    article.categories.add(news, mobile)

    response = client.get(news.get_absolute_url())

    assert mobile.get_absolute_url() == "/category/news/mobile/"
    assert list(response.context["articles"]) == [article]
    assert list(client.get(mobile.get_absolute_url()).context["articles"]) == [article]


def test_archive_is_paginated_with_a_canonical_url_per_page(client, settings):
    settings.BLOG_ARTICLES_PER_PAGE = 10  # Read at import; the view uses 10.
    tag = TagFactory(name="PTA")
    for article in ArticleFactory.create_batch(12):
        article.tags.add(tag)

    first = client.get(tag.get_absolute_url()).content.decode()
    second = client.get(tag.get_absolute_url(), {"page": 2})

    assert len(second.context["articles"]) == 2
    domain = Site.objects.get_current().domain
    assert f'<link rel="canonical" href="http://{domain}{tag.get_absolute_url()}">' in first
    assert f'<link rel="canonical" href="http://{domain}{tag.get_absolute_url()}?page=2">' in second.content.decode()
    assert client.get(tag.get_absolute_url(), {"page": 3}).status_code == 404


def test_archive_has_meta_tags_and_feed_links(client):
    category = CategoryFactory(name="Mobile", description="Phones, networks and the rules that govern them.")
    ArticleFactory().categories.add(category)

    content = client.get(category.get_absolute_url()).content.decode()

    assert f"<title>Category: Mobile · {Site.objects.get_current().name}</title>" in content
    assert '<meta name="description" content="Phones, networks and the rules that govern them.">' in content
    assert '<meta property="og:title" content="Category: Mobile">' in content
    assert f'href="{category.get_feed_url()}"' in content
    assert f'href="{category.get_atom_feed_url()}"' in content


@pytest.mark.usefixtures("every_request_rendered")
@pytest.mark.parametrize("kind", ["category", "tag"])
def test_archive_sql_does_not_grow_with_its_articles(client, django_assert_num_queries, kind):
    archive = CategoryFactory() if kind == "category" else TagFactory()
    relation = "categories" if kind == "category" else "tags"
    getattr(ArticleFactory(), relation).add(archive)
    client.get(archive.get_absolute_url())
    with django_assert_num_queries(6) as one:  # The archive, a count, the page, the sections, the footer.
        client.get(archive.get_absolute_url())

    for article in ArticleFactory.create_batch(9):
        getattr(article, relation).add(archive)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(archive.get_absolute_url())


@pytest.mark.parametrize("kind", ["category", "tag"])
def test_archive_feeds_list_the_published_articles(client, kind):
    archive = CategoryFactory(name="News") if kind == "category" else TagFactory(name="Pakistan")
    article = ArticleFactory(title="Ban lifted")
    getattr(article, "categories" if kind == "category" else "tags").add(archive)
    ArticleFactory(title="Elsewhere")

    rss = ET.fromstring(client.get(archive.get_feed_url()).content)
    atom = ET.fromstring(client.get(archive.get_atom_feed_url()).content)

    assert [item.findtext("title") for item in rss.iter("item")] == ["Ban lifted"]
    assert [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")] == ["Ban lifted"]
    assert rss.find("channel").findtext("title") == f"{archive.name} · {Site.objects.get_current().name}"


def test_article_page_links_its_categories_and_tags(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    for category in site_content.categories.all():
        assert f'<a href="{category.get_absolute_url()}" rel="category">{category.name}</a>' in content
    for tag in site_content.tags.all():
        assert f'<a href="{tag.get_absolute_url()}" rel="tag">{tag.name}</a>' in content


@pytest.mark.usefixtures("every_request_rendered")
def test_article_page_sql_does_not_grow_with_categories_and_tags(client, django_assert_num_queries):
    article = ArticleFactory()
    article.categories.add(CategoryFactory())
    article.tags.add(TagFactory())
    client.get(article.get_absolute_url())
    # The article with its history, categories and tags; comments; the sections; the footer's pages (the Site
    # is cached).
    with django_assert_num_queries(4) as one:
        client.get(article.get_absolute_url())

    article.categories.add(*CategoryFactory.create_batch(4))
    article.tags.add(*TagFactory.create_batch(6))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(article.get_absolute_url())


def test_header_and_home_page_show_the_top_level_categories(client):
    news = CategoryFactory(name="News", slug="news")
    CategoryFactory(name="Mobile phones", slug="mobile-phones", parent=news)
    ArticleFactory()

    content = client.get(reverse("blog:home")).content.decode()
    header = content.split("</header>", 1)[0]
    home_sections = content.split('aria-label="Sections"', 1)[1].split("</nav>", 1)[0]

    assert '<a href="/category/news/">News</a>' in header
    assert "Mobile phones" not in header
    assert '<a href="/category/news/">News</a>' in home_sections


def test_categories_nest_at_most_three_levels():
    top = CategoryFactory()
    middle = CategoryFactory(parent=top)
    bottom = CategoryFactory(parent=middle)

    with pytest.raises(ValidationError, match="at most 3 levels"):
        Category(name="Too deep", slug="too-deep", parent=bottom).full_clean()


def test_moving_a_category_with_children_under_another_counts_their_depth():
    top, other = CategoryFactory(), CategoryFactory()
    middle = CategoryFactory(parent=top)
    CategoryFactory(parent=middle)
    middle.parent = CategoryFactory(parent=other)

    with pytest.raises(ValidationError, match="at most 3 levels"):
        middle.full_clean()


def test_a_category_cannot_be_inside_itself():
    top = CategoryFactory()
    child = CategoryFactory(parent=top)
    top.parent = child

    with pytest.raises(ValidationError, match="inside itself"):
        top.full_clean()


def test_renaming_a_parent_moves_its_children_addresses():
    top = CategoryFactory(slug="news")
    child = CategoryFactory(slug="mobile", parent=top)
    top.slug = "latest"
    top.save()

    child.refresh_from_db()
    assert child.get_absolute_url() == "/category/latest/mobile/"


def test_tag_page_says_it_is_a_tag(client):
    tag = TagFactory(name="Xiaomi")
    ArticleFactory().tags.add(tag)

    content = client.get(tag.get_absolute_url()).content.decode()

    assert '<h1><span class="archive-kind">Tag:</span> Xiaomi</h1>' in content
    assert "<title>Tag: Xiaomi · " in content
    assert "1 article tagged “Xiaomi”, newest first." in content


def test_category_page_names_its_parents_and_shows_its_description(client):
    mobile = CategoryFactory(name="Mobile", slug="mobile")
    phones = CategoryFactory(name="Smartphones", slug="smartphones", parent=mobile, description="Phones, reviewed.")
    ArticleFactory().categories.add(phones)

    content = client.get(phones.get_absolute_url()).content.decode()

    assert (
        f'<h1><span class="archive-kind">Category:</span> <a href="{mobile.get_absolute_url()}">Mobile</a> '
        '<span class="archive-sep" aria-hidden="true">›</span><span class="visually-hidden">,</span> Smartphones</h1>'
    ) in content
    assert "<title>Category: Mobile › Smartphones · " in content
    assert '<p class="archive-description">Phones, reviewed.</p>' in content


def test_tag_page_shows_its_description_under_its_name_and_to_search_engines(client):
    tag = TagFactory(name="Xiaomi", description="The Beijing phone maker:\nits phones, prices and troubles.")
    ArticleFactory().tags.add(tag)

    content = client.get(tag.get_absolute_url()).content.decode()

    heading = content.index('<h1><span class="archive-kind">Tag:</span> Xiaomi</h1>')
    description = content.index(
        '<p class="archive-description">The Beijing phone maker:\nits phones, prices and troubles.</p>'
    )
    assert heading < description < content.index('<p class="archive-count">')
    assert '<meta name="description" content="The Beijing phone maker: its phones, prices and troubles.">' in content
    assert (
        '<meta property="og:description" content="The Beijing phone maker: its phones, prices and troubles.">'
        in content
    )


def test_a_tag_without_a_description_says_what_it_lists(client):
    tag = TagFactory(name="Xiaomi")
    ArticleFactory().tags.add(tag)

    content = client.get(tag.get_absolute_url()).content.decode()

    assert 'class="archive-description"' not in content
    assert '<meta name="description" content="The latest articles in Xiaomi.">' in content


def test_a_tag_description_is_shown_as_text_not_markup(client):
    tag = TagFactory(name="Xiaomi", description='Phones <script>alert("x")</script> & "prices"')
    ArticleFactory().tags.add(tag)

    content = client.get(tag.get_absolute_url()).content.decode()

    assert "<script>alert" not in content
    assert (
        '<p class="archive-description">Phones &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '
        "&quot;prices&quot;</p>"
    ) in content
    assert (
        '<meta name="description" content="Phones &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '
        '&quot;prices&quot;">'
    ) in content


def test_a_tag_feed_describes_the_tag(client):
    tag = TagFactory(name="Pakistan", description="Stories from Pakistan.")
    ArticleFactory().tags.add(tag)

    rss = ET.fromstring(client.get(tag.get_feed_url()).content)
    atom = ET.fromstring(client.get(tag.get_atom_feed_url()).content)

    assert rss.find("channel").findtext("description") == "Stories from Pakistan."
    assert atom.findtext(f"{ATOM}subtitle") == "Stories from Pakistan."
