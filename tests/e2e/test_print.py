"""A printed article, in Chromium with print media: the title, byline, dates and body, each body link followed by
where it leads; no navigation, search, comment form, related articles or footer; black on white in dark mode too."""

import pytest
from django.contrib.sites.models import Site

from blog.models import Article
from tests.comment_factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LINKS = (
    "Read [the authority's order](https://www.pta.gov.pk/en/media-center/single-media/ban) "
    "and [our earlier story](/articles/earlier-story/), or [jump to the end](#end)."
)


@pytest.fixture
def printed_article(site, browser):
    """The seed article with links in its body, a comment, and a related article, in a tab with print media."""
    article = Article.objects.get()
    article.body += "\n\n" + LINKS
    article.save()
    CommentFactory(article=article, user_name="Nadia Khan", comment="A comment worth keeping.")
    ArticleFactory(title="A related story").tags.add(article.tags.first())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(site + article.get_absolute_url())
    yield page
    context.close()


def is_shown(page, selector):
    return page.locator(selector).first.is_visible()


def link_target(page, text):
    """What the print stylesheet writes after the body's link called `text` (its ::after content)."""
    link = page.locator(".article-body a", has_text=text)
    return link.evaluate("link => getComputedStyle(link, '::after').content")


def test_a_printed_article_shows_its_title_byline_dates_and_body(printed_article):
    page = printed_article

    for selector in ("h1", ".byline", ".published time", ".updated", ".article-body", ".site-name"):
        assert is_shown(page, selector), selector
    text = page.locator("body").inner_text()
    assert "Why Xiaomi Smartphones Banned in Pakistan?" in text
    assert "Written by Alison Johnson" in text
    assert "(Last Updated On: 04/08/2016)" in text
    assert "Pakistan Telecommunication Authority has ordered" in text


def test_a_printed_article_leaves_out_navigation_search_the_comment_form_and_other_chrome(printed_article):
    page = printed_article

    assert is_shown(page, ".comment-body")  # The published comments are part of the page that was read.
    for selector in (
        ".site-header nav",
        ".site-search",
        ".skip-link",
        ".respond",
        ".comment-form",
        ".comment-reply",
        ".related",
        ".site-footer",
    ):
        assert page.locator(selector).count() > 0, f"{selector} is not on the page: the test proves nothing"
        assert not is_shown(page, selector), f"{selector} is printed"
    text = page.locator("body").inner_text()
    assert "Search articles" not in text
    assert "Leave a Comment" not in text
    assert "A related story" not in text


def test_a_printed_body_link_is_followed_by_where_it_leads(printed_article):
    page = printed_article
    origin = f"http://{Site.objects.get_current().domain}"

    assert link_target(page, "the authority's order") == '" (https://www.pta.gov.pk/en/media-center/single-media/ban)"'
    assert link_target(page, "our earlier story") == f'" ({origin}/articles/earlier-story/)"'
    assert link_target(page, "jump to the end") == "none"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_printed_article_is_black_on_white_in_either_colour_scheme(printed_article, scheme):
    page = printed_article
    page.emulate_media(media="print", color_scheme=scheme)

    colours = page.evaluate(
        """() => ({
            page: getComputedStyle(document.body).backgroundColor,
            header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
            text: getComputedStyle(document.querySelector('.article-body p')).color,
            quote: getComputedStyle(document.querySelector('.article-body blockquote')).color,
            link: getComputedStyle(document.querySelector('.article-body a')).color,
        })"""
    )

    assert colours == {
        "page": "rgb(255, 255, 255)",
        "header": "rgb(255, 255, 255)",
        "text": "rgb(0, 0, 0)",
        "quote": "rgb(34, 34, 34)",
        "link": "rgb(0, 0, 0)",
    }
