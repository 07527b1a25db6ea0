"""RSS and Atom feeds: the latest articles, one author's articles, one article's approved comments."""

import re

from django.contrib.sites.models import Site
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks

from authors.models import Author
from comments.thread import approved_comments

from .models import Article
from .seo import start_of_day

FEED_LENGTH = 20
# Characters XML 1.0 cannot carry; Django's feed writer refuses them, so they are dropped from feed text.
XML_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")


def xml_text(text):
    """`text` without the control characters XML 1.0 forbids (a pasted comment may hold some)."""
    return XML_CONTROL_CHARACTERS.sub("", text)


class ArticleItemsMixin:
    """How an article reads as a feed item: full text, author, "Last Updated On" as the updated date."""

    def item_title(self, article):
        return xml_text(article.title)

    def item_description(self, article):
        return xml_text(article.body_html)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return start_of_day(article.last_updated_on)

    def item_author_name(self, article):
        return xml_text(article.author.name)


class LatestArticlesFeed(ArticleItemsMixin, Feed):
    description = "The latest articles."

    def title(self):
        return xml_text(Site.objects.get_current().name)

    def link(self):
        return reverse("blog:home")

    def items(self):
        return Article.objects.published().select_related("author")[:FEED_LENGTH]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class AuthorArticlesFeed(ArticleItemsMixin, Feed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, author):
        return xml_text(f"Articles by {author.name}")

    def description(self, author):
        return xml_text(f"The latest articles by {author.name}.")

    def link(self, author):
        return author.get_absolute_url()

    def items(self, author):
        return Article.objects.published().filter(author=author).select_related("author")[:FEED_LENGTH]


class AuthorArticlesAtomFeed(AuthorArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self, author):
        return self.description(author)


class ArticleCommentsFeed(Feed):
    """Approved comments on one published article, newest first."""

    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, article):
        return xml_text(f"Comments on “{article.title}”")

    def description(self, article):
        return xml_text(f"Approved comments on “{article.title}”.")

    def link(self, article):
        return article.get_absolute_url() + "#comments"

    def items(self, article):
        comments = list(approved_comments(article).order_by("-submit_date", "-pk")[:FEED_LENGTH])
        for comment in comments:
            comment.article = article  # Saves a query per item for its link.
        return comments

    def item_title(self, comment):
        return xml_text(f"Comment by {comment.name}")

    def item_description(self, comment):
        return xml_text(linebreaks(escape(comment.comment)))

    def item_link(self, comment):
        return f"{comment.article.get_absolute_url()}#c{comment.pk}"

    def item_pubdate(self, comment):
        return comment.submit_date

    def item_author_name(self, comment):
        return xml_text(comment.name)


class ArticleCommentsAtomFeed(ArticleCommentsFeed):
    feed_type = Atom1Feed

    def subtitle(self, article):
        return self.description(article)
