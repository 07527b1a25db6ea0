from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .search import SearchView
from .sitemaps import SITEMAPS, robots_txt
from .social_cards import social_card_view

app_name = "blog"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("articles/<slug:slug>/card.png", social_card_view, name="social_card"),
    path("articles/<slug:slug>/comments/feed/", feeds.ArticleCommentsFeed(), name="comments_feed"),
    path("articles/<slug:slug>/comments/feed/atom/", feeds.ArticleCommentsAtomFeed(), name="comments_feed_atom"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("feed/authors/<slug:slug>/", feeds.AuthorArticlesFeed(), name="author_feed"),
    path("feed/authors/<slug:slug>/atom/", feeds.AuthorArticlesAtomFeed(), name="author_feed_atom"),
    path("search/", SearchView.as_view(), name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]
