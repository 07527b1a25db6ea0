from django.contrib.sitemaps.views import sitemap
from django.urls import path

from config.pagecache import public_page

from . import archives, feeds, views
from .models import Article
from .search import SearchView
from .sitemaps import SITEMAPS, robots_txt
from .social_cards import social_card_view

app_name = "blog"


def listing(view, **options):
    """A public page that lists articles (see config.pagecache)."""
    return public_page(view, changes_at=Article.objects.next_scheduled_at, **options)


urlpatterns = [
    path("", listing(views.ArticleListView.as_view(), params=["page"]), name="home"),
    path(
        "articles/<slug:slug>/",
        public_page(views.ArticleDetailView.as_view(), params=["cpage"], private_params=["unapproved"]),
        name="article",
    ),
    path("articles/<slug:slug>/card.png", social_card_view, name="social_card"),
    path("feed/", listing(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", listing(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("feed/authors/<slug:slug>/", listing(feeds.AuthorArticlesFeed()), name="author_feed"),
    path("feed/authors/<slug:slug>/atom/", listing(feeds.AuthorArticlesAtomFeed()), name="author_feed_atom"),
    path("category/<path:path>/", listing(archives.CategoryArchiveView.as_view(), params=["page"]), name="category"),
    path("tag/<slug:slug>/", listing(archives.TagArchiveView.as_view(), params=["page"]), name="tag"),
    # Category slugs are unique, so a category's feeds need only its slug (not its path, as the archive does).
    path("feed/category/<slug:slug>/", listing(feeds.CategoryArticlesFeed()), name="category_feed"),
    path("feed/category/<slug:slug>/atom/", listing(feeds.CategoryArticlesAtomFeed()), name="category_feed_atom"),
    path("feed/tag/<slug:slug>/", listing(feeds.TagArticlesFeed()), name="tag_feed"),
    path("feed/tag/<slug:slug>/atom/", listing(feeds.TagArticlesAtomFeed()), name="tag_feed_atom"),
    path("search/", listing(SearchView.as_view(), params=["q", "page"]), name="search"),
    path("sitemap.xml", listing(sitemap, params=["p"]), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]

# Served under /authors/ in the authors namespace (config/urls.py): the page lists an author's articles.
author_urlpatterns = [
    path("<slug:slug>/", listing(views.AuthorDetailView.as_view(), params=["page"]), name="detail"),
]
