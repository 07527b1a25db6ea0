"""Full-text search: finds, ranks, highlights, and handles bad input without an error page."""

import re

import pytest
from django.urls import reverse

from blog.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def search(client, query):
    response = client.get(reverse("blog:search"), {"q": query})
    assert response.status_code == 200
    return response


def test_search_finds_pta_in_the_seed_article(client, site_content):
    response = search(client, "PTA")

    assert list(response.context["results"]) == [site_content]


def test_search_ranks_title_matches_before_body_matches(client):
    body_match = ArticleFactory(title="Phones this week", body="Battery life, battery tests and battery news.")
    title_match = ArticleFactory(title="Battery life explained", body="How long phones last.")

    response = search(client, "battery")

    assert list(response.context["results"]) == [title_match, body_match]


def test_search_uses_english_stemming(client, site_content):
    assert list(search(client, "banning smartphone").context["results"]) == [site_content]


def test_search_leaves_out_drafts_and_scheduled_articles(client):
    ArticleFactory(title="Draft about tablets", status=Article.Status.DRAFT)

    response = search(client, "tablets")

    assert list(response.context["results"]) == []
    assert "No articles match “tablets”" in response.content.decode()


def test_search_snippet_highlights_the_matching_words(client, site_content):
    content = search(client, "spokesman").content.decode()

    assert "<mark>spokesman</mark>" in content


def rendered_snippet(response):
    """The first result's snippet as the page shows it."""
    html = response.content.decode()
    return re.search(r"<p>((?:(?!</p>).)*<mark>.*?)</p>", html, re.S).group(1)


def test_search_snippet_escapes_everything_but_the_highlight(client):
    ArticleFactory(title="Escaping", body='Under 100 < 200 & "firmware" > 50')

    snippet = rendered_snippet(search(client, "firmware"))

    assert snippet.startswith("Under 100 &lt; 200 &amp; &quot;<mark>firmware</mark>")
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_highlight_marks_in_an_article_body_do_not_become_tags(client):
    ArticleFactory(title="Control", body="Odd \x02pasted\x03 text about routers")

    snippet = rendered_snippet(search(client, "routers"))

    assert snippet.endswith("pasted text about <mark>routers</mark>")
    assert snippet.count("<mark>") == 1


def test_search_snippet_has_no_markdown_quote_or_heading_marks(client, site_content):
    snippet = rendered_snippet(search(client, "PTA"))

    assert "&gt;" not in snippet
    assert "##" not in snippet


def test_empty_search_asks_for_words_next_to_the_field(client):
    content = search(client, "   ").content.decode()

    assert 'aria-invalid="true" aria-describedby="search-errors"' in content
    assert '<ul class="errorlist" id="search-errors"><li>Type a word or two to search for.</li></ul>' in content


def test_search_page_without_a_query_shows_the_form_without_an_error(client):
    response = client.get(reverse("blog:search"))

    assert response.status_code == 200
    assert "errorlist" not in response.content.decode()


@pytest.mark.parametrize("query", ["!!! ::: &&& |", "'", "-", '"', "<>", "the and of"])
def test_junk_search_finds_nothing_and_says_so(client, query):
    response = search(client, query)

    assert list(response.context["results"]) == []
    assert "No articles match" in response.content.decode()


def test_overlong_search_is_refused_and_keeps_the_text(client):
    query = "xiaomi " * 40

    content = search(client, query).content.decode()

    assert "Please shorten your search to 200 characters or fewer." in content
    assert f'value="{query}"' in content


def test_search_with_a_null_character_is_refused_with_a_message(client):
    content = search(client, "pta\x00").content.decode()

    assert "Null characters are not allowed." in content


def test_search_results_paginate_and_keep_the_query(client):
    ArticleFactory.create_batch(12, title="Camera review")

    first = search(client, "camera")
    second = client.get(reverse("blog:search"), {"q": "camera", "page": 2})

    assert len(first.context["results"]) == 10
    assert len(second.context["results"]) == 2
    assert 'href="?q=camera&amp;page=2"' in first.content.decode()


def test_search_takes_two_queries_however_many_results(client, django_assert_num_queries):
    ArticleFactory.create_batch(12, title="Modem review")
    search(client, "modem")

    # A count for the pages, then one page with ranks and snippets; the header's sections, the footer's pages.
    with django_assert_num_queries(4):
        search(client, "modem")


def test_search_page_has_one_search_box_its_own(client):
    content = search(client, "modem").content.decode()

    assert content.count('role="search"') == 1
    assert 'aria-label="Search articles"' in content


def test_every_page_has_a_labelled_search_box(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    search_form = f'role="search" aria-label="Site search" method="get" action="{reverse("blog:search")}"'
    assert search_form in content
    assert '<label for="site-search-q" class="visually-hidden">Search articles</label>' in content


def test_snippet_from_the_middle_of_the_text_starts_and_ends_with_an_ellipsis(client):
    words = " ".join(f"filler{index}" for index in range(80))
    ArticleFactory(title="Long read", body=f"{words} the gearbox rattles. {words}")

    snippet = rendered_snippet(search(client, "gearbox"))

    assert snippet.startswith("… ")
    assert snippet.endswith(" …")


def test_snippet_that_is_the_whole_text_has_no_ellipsis(client):
    ArticleFactory(title="Short", body="Gearbox rattles on rough roads.")

    snippet = rendered_snippet(search(client, "gearbox"))

    assert "…" not in snippet
    assert snippet.startswith("<mark>Gearbox</mark> rattles on rough roads")
