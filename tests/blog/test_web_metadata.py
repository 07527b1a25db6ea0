"""Page metadata: canonical URL, description, OpenGraph/Twitter tags and the article's JSON-LD."""

import datetime
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from blog.models import Article
from blog.seo import article_json_ld
from tests.factories import ArticleFactory
from tests.web_factories import CommentFactory

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD blocks from a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta = {}
        self.canonical = []
        self.json_ld = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs["content"]
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def head_of(client, url):
    parser = HeadParser()
    parser.feed(client.get(url).content.decode())
    return parser


def site_url(path):
    return f"http://{Site.objects.get_current().domain}{path}"


def json_ld_of(client, article):
    (block,) = head_of(client, article.get_absolute_url()).json_ld
    return json.loads(block)


def test_article_json_ld_is_a_news_article_with_dates_author_and_publisher(client, site_content):
    data = json_ld_of(client, site_content)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Why Xiaomi Smartphones Banned in Pakistan?"
    assert data["datePublished"] == "2016-08-04T09:00:00+00:00"
    assert data["dateModified"] == "2016-08-04T09:00:00+00:00"  # Not updated since: the moment of publication.
    assert data["author"] == {
        "@type": "Person",
        "name": "Alison Johnson",
        "url": site_url(reverse("authors:detail", kwargs={"slug": "alison-johnson"})),
    }
    assert data["publisher"] == {"@type": "Organization", "name": "Mobile Tech Journal", "url": site_url("/")}
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": site_url(site_content.get_absolute_url())}
    assert data["image"] == [site_url(reverse("blog:social_card", kwargs={"slug": site_content.slug}))]
    assert data["inLanguage"] == "en-gb"


def test_json_ld_date_modified_reads_last_updated_on(client, site_content):
    site_content.last_updated_on = datetime.date(2019, 12, 31)
    site_content.save()

    assert json_ld_of(client, site_content)["dateModified"] == "2019-12-31T00:00:00+00:00"


def test_dates_agree_across_page_json_ld_open_graph_and_atom_and_never_run_backwards(client, site_content):
    """Updated on its publication day, the article was not modified before it was published (09:00)."""
    head = head_of(client, site_content.get_absolute_url())
    data = json_ld_of(client, site_content)
    feed = ET.fromstring(client.get(reverse("blog:feed_atom")).content)
    atom_updated = feed.find(f"{ATOM}entry").findtext(f"{ATOM}updated")

    published = datetime.datetime.fromisoformat(data["datePublished"])
    modified = datetime.datetime.fromisoformat(data["dateModified"])
    assert modified >= published
    assert datetime.datetime.fromisoformat(head.meta["article:modified_time"]) == modified
    assert datetime.datetime.fromisoformat(head.meta["article:published_time"]) == published
    assert datetime.datetime.fromisoformat(atom_updated) == modified


def test_json_ld_comment_count_counts_only_approved_comments(client):
    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, is_public=False)
    CommentFactory(article=article, is_removed=True)

    assert json_ld_of(client, article)["commentCount"] == 2


def test_json_ld_needs_no_query_however_many_comments(rf, django_assert_num_queries):
    """The comment count is stored on the article (comments.totals.recount_comments)."""
    article = ArticleFactory()
    CommentFactory.create_batch(6, article=article)
    request = rf.get(article.get_absolute_url())
    article_json_ld(request, article)  # Warms the site and content type caches.
    fresh = Article.objects.select_related("author").get(pk=article.pk)

    with django_assert_num_queries(0):
        data = article_json_ld(request, fresh)

    assert data["commentCount"] == 6


def test_json_ld_cannot_close_its_script_element(client):
    article = ArticleFactory(title="Tags </script><script>alert(1)</script> & more")

    content = client.get(article.get_absolute_url()).content.decode()

    assert "</script><script>alert(1)" not in content
    assert json_ld_of(client, article)["headline"] == "Tags </script><script>alert(1)</script> & more"


@pytest.fixture
def mistyped_site_domain():
    Site.objects.filter(pk=Site.objects.get_current().pk).update(domain="news.example.org\"; color: red; x:'")
    Site.objects.clear_cache()
    yield
    Site.objects.clear_cache()  # The test's transaction is rolled back; the cached Site must go with it.


@pytest.mark.usefixtures("mistyped_site_domain")
def test_the_origin_printed_before_relative_links_stays_one_css_string_whatever_the_site_domain(client):
    """The body carries the site's origin for its print styles: quotes, semicolons and spaces become CSS escapes."""
    article = ArticleFactory()

    content = client.get(article.get_absolute_url()).content.decode()

    assert (
        '<div class="article-body" style="--site-origin: &quot;http://news.example.org\\22 \\3b \\20 color:'
        '\\20 red\\3b \\20 x:\\27 &quot;">'
    ) in content


def test_article_meta_description_is_the_summary_when_there_is_one(client):
    article = ArticleFactory(summary="A short, editor-written summary.")

    meta = head_of(client, article.get_absolute_url()).meta

    assert meta["description"] == meta["og:description"] == "A short, editor-written summary."


def test_article_meta_description_falls_back_to_the_first_paragraph(client, site_content):
    meta = head_of(client, site_content.get_absolute_url()).meta

    assert meta["description"].startswith("It was doing well until the alleged of stealing user’s data")
    assert "Here is an open letter" not in meta["description"]


def test_article_has_canonical_url_and_opengraph_card(client, site_content):
    head = head_of(client, site_content.get_absolute_url())
    card_url = site_url(reverse("blog:social_card", kwargs={"slug": site_content.slug}))

    assert head.canonical == [site_url(site_content.get_absolute_url())]
    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == site_content.title
    assert head.meta["og:url"] == head.canonical[0]
    assert head.meta["og:image"] == head.meta["twitter:image"] == card_url
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["article:modified_time"] == "2016-08-04T09:00:00+00:00"
    assert head.meta["og:locale"] == "en_GB"


@pytest.mark.parametrize("name", ["blog:home", "blog:search"])
def test_every_page_has_canonical_url_description_and_opengraph(client, name):
    head = head_of(client, reverse(name))

    assert head.canonical == [site_url(reverse(name))]
    assert head.meta["description"]
    assert head.meta["og:site_name"] == "Mobile Tech Journal"
    assert head.meta["twitter:card"] == "summary"


def test_author_page_has_profile_metadata(client, site_content):
    head = head_of(client, site_content.author.get_absolute_url())

    assert head.meta["og:type"] == "profile"
    assert head.meta["og:title"] == "Alison Johnson"
    assert head.meta["description"].startswith("Alison Johnson is an our freelance writer.")


def test_canonical_url_of_a_later_page_keeps_the_page_number_only(client):
    ArticleFactory.create_batch(11)

    head = head_of(client, reverse("blog:home") + "?page=2&utm_source=newsletter")

    assert head.canonical == [site_url(reverse("blog:home") + "?page=2")]


def test_draft_preview_asks_search_engines_not_to_index_it(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert head_of(editor_client, draft.get_absolute_url()).meta["robots"] == "noindex"


def test_published_article_may_be_indexed(client, site_content):
    assert "robots" not in head_of(client, site_content.get_absolute_url()).meta
