import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_newest_first(client):
    now = timezone.now()
    older = ArticleFactory(title="Older news", published_at=now - datetime.timedelta(days=3))
    newer = ArticleFactory(title="Newer news", published_at=now - datetime.timedelta(days=1))

    response = client.get(reverse("blog:home"))

    assert list(response.context["articles"]) == [newer, older]


def test_home_hides_drafts_and_scheduled_articles(client):
    ArticleFactory(title="Draft piece", status=Article.Status.DRAFT)
    ArticleFactory(title="Future piece", published_at=timezone.now() + datetime.timedelta(days=1))

    content = client.get(reverse("blog:home")).content.decode()

    assert "Draft piece" not in content
    assert "Future piece" not in content


def test_home_shows_title_author_date_and_excerpt(client, site_content):
    content = client.get(reverse("blog:home")).content.decode()

    assert site_content.get_absolute_url() in content
    assert "Alison Johnson" in content
    assert 'Published <time datetime="2016-08-04T09:00:00+00:00">04/08/2016</time>' in content
    assert "Last Updated On" not in content  # Not updated since its publication day.


def test_listing_labels_an_updated_article_with_both_dates(client, site_content):
    site_content.record_update(note="Xiaomi replied to PTA.", date=datetime.date(2026, 12, 2))

    content = client.get(reverse("blog:home")).content.decode()

    assert 'Published <time datetime="2016-08-04T09:00:00+00:00">04/08/2016</time>' in content
    assert 'Last Updated On <time datetime="2026-12-02">02/12/2026</time>' in content
    assert "It was doing well until the alleged of stealing user’s data" in content


def test_home_is_paginated(client, settings):
    ArticleFactory.create_batch(12)

    first = client.get(reverse("blog:home"))
    second = client.get(reverse("blog:home"), {"page": 2})

    assert len(first.context["articles"]) == 10
    assert len(second.context["articles"]) == 2
    assert 'rel="next"' in first.content.decode()


def test_home_page_out_of_range_is_404(client):
    assert client.get(reverse("blog:home"), {"page": 99}).status_code == 404


def test_home_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(10)

    with django_assert_max_num_queries(6):  # With the header's sections and the footer's pages.
        client.get(reverse("blog:home"))


def test_author_page_shows_bio_avatar_and_published_articles(client, site_content):
    ArticleFactory(author=site_content.author, title="Unfinished draft", status=Article.Status.DRAFT)

    response = client.get(site_content.author.get_absolute_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Alison Johnson</h1>" in content
    assert site_content.author.bio in content
    assert ">AJ</text>" in content  # Initials avatar drawn locally.
    assert site_content.title in content
    assert "Unfinished draft" not in content


def test_author_without_articles_says_so(client):
    author = AuthorFactory(name="New Writer")

    content = client.get(author.get_absolute_url()).content.decode()

    assert "New Writer has not published any articles yet." in content


def test_initials_avatar_uses_first_and_last_name():
    assert AuthorFactory.build(name="Alison Mary Johnson").initials == "AJ"
    assert AuthorFactory.build(name="Cher").initials == "C"
