from functools import wraps

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from authors.models import Author
from config.cachetags import add_tags, list_tag
from config.pagecache import public_page

from . import archives, feeds, views
from .models import Article, Category, Tag
from .search import SearchView
from .sitemaps import SITEMAP_TAGS, SITEMAPS, robots_txt
from .social_cards import social_card_view

app_name = "blog"
# What every list of articles shows besides them: their authors' names, their categories and tags.
LISTING_TAGS = [list_tag(Article), list_tag(Author), list_tag(Category), list_tag(Tag)]


def next_scheduled_change(response):
    return Article.objects.next_scheduled_at()


def listing(view, *, tags=LISTING_TAGS, **options):
    """A public page that lists articles (see config.pagecache): it changes with any published article, and
    on its own when the next scheduled one appears."""

    @wraps(view)
    def tagged_view(request, *args, **kwargs):
        return add_tags(view(request, *args, **kwargs), tags)

    return public_page(tagged_view, changes_at=next_scheduled_change, **options)


def article_changes_at(response):
    """An article's page changes on its own when its comments close."""
    return response.context_data["article"].comments_close_at()


urlpatterns = [
    path("", listing(views.ArticleListView.as_view(), params=["page"]), name="home"),
    path(
        "articles/<slug:slug>/",
        public_page(views.ArticleDetailView.as_view(), params=["cpage"], changes_at=article_changes_at),
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
    # Any text makes a new search page: none is stored in the page cache (only shared caches keep them briefly).
    path("search/", listing(SearchView.as_view(), params=["q", "page"], stored=False), name="search"),
    path("sitemap.xml", listing(sitemap, params=["p"], tags=SITEMAP_TAGS), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]

# Served under /authors/ in the authors namespace (config/urls.py): the page lists an author's articles.
author_urlpatterns = [
    path("<slug:slug>/", listing(views.AuthorDetailView.as_view(), params=["page"]), name="detail"),
]
