"""RSS and Atom feeds: the latest articles, one author's, category's or tag's articles (an article's comments:
comments.feeds)."""

import re

from django.contrib.sites.models import Site
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from authors.models import Author

from .models import Article, Category, Tag

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
        return article.last_updated_at()

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


class ArchiveFeed(ArticleItemsMixin, Feed):
    """The latest published articles of a category or tag."""

    def title(self, archive):
        return xml_text(f"{archive.name} · {Site.objects.get_current().name}")

    def description(self, archive):
        return xml_text(archive.description or f"The latest articles in {archive.name}.")

    def link(self, archive):
        return archive.get_absolute_url()

    def items(self, archive):
        return self.articles(archive).select_related("author")[:FEED_LENGTH]


class CategoryArticlesFeed(ArchiveFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def articles(self, category):
        return Article.objects.published().in_categories(category)


class CategoryArticlesAtomFeed(CategoryArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self, category):
        return self.description(category)


class TagArticlesFeed(ArchiveFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def articles(self, tag):
        return Article.objects.published().filter(tags=tag)


class TagArticlesAtomFeed(TagArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self, tag):
        return self.description(tag)
