"""RSS and Atom feeds: right items, right dates, linked from the pages."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.web_factories import CommentFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
UTC = datetime.UTC


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall("./channel/item")


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_rss_feed_lists_published_articles_newest_first(client):
    now = timezone.now()
    ArticleFactory(title="Older", published_at=now - datetime.timedelta(days=2))
    ArticleFactory(title="Newer", published_at=now - datetime.timedelta(days=1))

    items = rss_items(client, reverse("blog:feed"))

    assert [item.findtext("title") for item in items] == ["Newer", "Older"]


def test_feeds_leave_out_drafts_and_scheduled_articles(client):
    ArticleFactory(title="Visible")
    ArticleFactory(title="Draft", status=Article.Status.DRAFT)
    ArticleFactory(title="Scheduled", published_at=timezone.now() + datetime.timedelta(hours=1))

    rss_titles = [item.findtext("title") for item in rss_items(client, reverse("blog:feed"))]
    atom_titles = [entry.findtext(f"{ATOM}title") for entry in atom_entries(client, reverse("blog:feed_atom"))]

    assert rss_titles == atom_titles == ["Visible"]


def test_atom_entry_is_updated_on_last_updated_on_and_published_on_publication(client, site_content):
    site_content.last_updated_on = datetime.date(2017, 3, 9)
    site_content.save()

    (entry,) = atom_entries(client, reverse("blog:feed_atom"))

    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == datetime.datetime(
        2017, 3, 9, tzinfo=UTC
    )
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == datetime.datetime(
        2016, 8, 4, 9, 0, tzinfo=UTC
    )
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Alison Johnson"


def test_rss_item_links_to_the_article_with_its_publication_date(client, site_content):
    (item,) = rss_items(client, reverse("blog:feed"))

    assert item.findtext("link").endswith(site_content.get_absolute_url())
    assert parsedate_to_datetime(item.findtext("pubDate")) == datetime.datetime(2016, 8, 4, 9, 0, tzinfo=UTC)
    assert "Pakistan Telecommunication Authority" in item.findtext("description")


def test_author_feed_lists_only_that_authors_articles(client):
    author = AuthorFactory(name="Dana Reyes")
    ArticleFactory(title="By Dana", author=author)
    ArticleFactory(title="By someone else")

    items = rss_items(client, reverse("blog:author_feed", kwargs={"slug": author.slug}))
    entries = atom_entries(client, reverse("blog:author_feed_atom", kwargs={"slug": author.slug}))

    assert [item.findtext("title") for item in items] == ["By Dana"]
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["By Dana"]


def test_author_feed_of_unknown_author_is_404(client):
    assert client.get(reverse("blog:author_feed", kwargs={"slug": "nobody"})).status_code == 404


def test_comments_feed_lists_only_approved_comments(client):
    article = ArticleFactory()
    CommentFactory(article=article, name="Approved Reader", comment="Great piece.")
    CommentFactory(article=article, name="Awaiting Moderation", is_public=False)
    CommentFactory(article=article, name="Removed Reader", is_removed=True)
    CommentFactory(name="On another article")

    items = rss_items(client, reverse("comments_feed", kwargs={"slug": article.slug}))

    assert [item.findtext("title") for item in items] == ["Comment by Approved Reader"]
    assert "<p>Great piece.</p>" in items[0].findtext("description")


def test_comment_feed_item_links_to_the_comment_on_the_article(client):
    comment = CommentFactory(comment="<b>bold</b> claim")
    article = Article.objects.get(pk=comment.object_pk)

    (entry,) = atom_entries(client, reverse("comments_feed_atom", kwargs={"slug": article.slug}))

    assert entry.find(f"{ATOM}link").get("href").endswith(f"{article.get_absolute_url()}#c{comment.pk}")
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in entry.findtext(f"{ATOM}summary")


def test_control_characters_in_a_comment_are_dropped_from_the_feed(client):
    """XML 1.0 cannot carry them; a pasted comment must not break the feed for everyone."""
    comment = CommentFactory(name="Vertical\x0btab", comment="Line\x0bfeed\x1b and more")
    article = Article.objects.get(pk=comment.object_pk)

    for name in ["comments_feed", "comments_feed_atom"]:
        response = client.get(reverse(name, kwargs={"slug": article.slug}))
        assert response.status_code == 200
        assert "Linefeed and more" in ET.tostring(ET.fromstring(response.content), encoding="unicode")


def test_control_characters_in_an_article_title_are_dropped_from_the_feed(client):
    ArticleFactory(title="Bell\x07 rings")

    (item,) = rss_items(client, reverse("blog:feed"))

    assert item.findtext("title") == "Bell rings"


def test_comments_feed_of_a_draft_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert client.get(reverse("comments_feed", kwargs={"slug": draft.slug})).status_code == 404


def test_pages_announce_their_feeds(client, site_content):
    home = client.get(reverse("blog:home")).content.decode()
    article = client.get(site_content.get_absolute_url()).content.decode()
    author = client.get(site_content.author.get_absolute_url()).content.decode()

    assert f'type="application/rss+xml" title="Mobile Tech Journal (RSS)" href="{reverse("blog:feed")}"' in home
    assert f'href="{reverse("comments_feed", kwargs={"slug": site_content.slug})}"' in article
    assert f'href="{reverse("comments_feed_atom", kwargs={"slug": site_content.slug})}"' in article
    assert f'title="Mobile Tech Journal (Atom)" href="{reverse("blog:feed_atom")}"' in article
    assert f'href="{reverse("blog:author_feed_atom", kwargs={"slug": "alison-johnson"})}"' in author


@pytest.mark.usefixtures("every_request_rendered")
def test_feed_takes_one_query_however_many_articles(client, django_assert_num_queries):
    ArticleFactory.create_batch(15)
    client.get(reverse("blog:feed"))  # Loads the current Site into the sites framework's cache.

    with django_assert_num_queries(1):
        client.get(reverse("blog:feed"))


@pytest.mark.usefixtures("every_request_rendered")
def test_comments_feed_takes_two_queries_however_many_comments(client, django_assert_num_queries):
    article = ArticleFactory()
    CommentFactory.create_batch(8, article=article)
    url = reverse("comments_feed", kwargs={"slug": article.slug})
    client.get(url)

    with django_assert_num_queries(2):  # The article, then its comments.
        client.get(url)
