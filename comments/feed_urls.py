"""An article's comment feeds, at articles/<slug>/comments/ (config/urls.py)."""

from django.urls import path

from config.pagecache import public_page

from . import feeds

urlpatterns = [
    path("feed/", public_page(feeds.ArticleCommentsFeed()), name="comments_feed"),
    path("feed/atom/", public_page(feeds.ArticleCommentsAtomFeed()), name="comments_feed_atom"),
]
