"""RSS and Atom feeds of one article's approved comments."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.http import http_date

from blog.feeds import FEED_LENGTH, xml_text
from blog.models import Article
from config.cachetags import add_tags, object_tag

from .queries import approved_comments


class ArticleCommentsFeed(Feed):
    """Approved comments on one published article, newest first."""

    def __call__(self, request, slug):
        """Django's Feed.__call__, tagged with the article and its comments (config.cachetags) without looking
        the article up twice."""
        article = self.get_object(request, slug)
        feed = self.get_feed(article, request)
        response = HttpResponse(content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        feed.write(response, "utf-8")
        return add_tags(response, [object_tag(article), object_tag(article, "comments")])

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
