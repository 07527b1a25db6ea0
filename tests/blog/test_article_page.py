import datetime
import html
import re

import pytest
from django.urls import reverse

from blog.models import Article
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db


def visible_text(response):
    """The page's text with tags removed and entities decoded, whitespace folded."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def test_article_page_contains_every_paragraph_of_the_seed(client, site_content, seed_paragraphs):
    response = client.get(site_content.get_absolute_url())

    assert response.status_code == 200
    page_text = visible_text(response)
    for paragraph in seed_paragraphs:
        if paragraph.startswith("Written by"):
            continue  # The byline and date are checked separately: they span elements.
        assert re.sub(r"\s+", " ", paragraph) in page_text


def test_article_page_keeps_the_seed_curly_quotes(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert "“They are not following the country’s rules and regulations.”" in content
    assert "&ldquo;" not in content
    assert "&#8220;" not in content


def test_article_title_is_the_only_h1(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert re.findall(r"<h1[^>]*>(.*?)</h1>", content) == ["Why Xiaomi Smartphones Banned in Pakistan?"]


def test_last_updated_on_is_shown_day_month_year_with_machine_date(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert '(Last Updated On: <time datetime="2016-08-04">04/08/2016</time>)' in content


def test_publication_date_is_shown_labelled_above_last_updated_on(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    published = '<span class="published">Published <time datetime="2016-08-04T09:00:00+00:00">04/08/2016</time></span>'
    assert published in content
    assert content.index(published) < content.index("(Last Updated On: ")


def test_byline_links_to_the_author_page(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    author_url = reverse("authors:detail", kwargs={"slug": "alison-johnson"})
    assert f'Written by <a href="{author_url}" rel="author">Alison Johnson</a>' in content


def test_about_the_author_box_shows_the_bio(client, site_content):
    response = client.get(site_content.get_absolute_url())

    text = visible_text(response)
    assert "About the author" in text
    assert site_content.author.bio in text
    assert "She enjoys to surf internet and likes to write about them in her on own way." in text


def test_quoted_statements_are_block_quotes_and_sub_headings_are_h2(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert len(re.findall(r"<blockquote>", content)) == 3
    assert "<h2>Response by Xiaomi over this suspension</h2>" in content
    assert "<h2>Announcement by Xiaomi</h2>" in content


def test_leave_a_comment_section_is_on_the_page(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert "Leave a Comment" in content


def test_page_declares_its_language(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert re.search(r'<html lang="en', content)


def test_draft_is_not_found_for_readers(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_scheduled_article_is_not_found_for_readers(client):
    scheduled = ArticleFactory(published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC))

    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_editor_previews_a_draft_uncached(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Secret scoop")
    client.force_login(EditorFactory())

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Preview: readers cannot see this article yet" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_staff_without_article_permission_cannot_preview_drafts(client, django_user_model):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("intern", password="x", is_staff=True))

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_unknown_article_shows_the_friendly_404_page(client):
    response = client.get("/articles/no-such-article/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_body_html_is_sanitised(db):
    article = ArticleFactory(body='Hello <script>alert(1)</script> <a href="javascript:alert(1)">x</a>')

    assert "<script>" not in article.body_html
    assert "javascript:" not in article.body_html
