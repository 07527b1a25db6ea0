"""sitemap.xml (home, published articles, authors' pages; "Last Updated On" as lastmod) and robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from authors.models import Author

from .models import Article
from .seo import absolute_url


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Article.objects.published().aggregate(latest=Max("last_updated_on"))["latest"]


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("-published_at", "pk")

    def lastmod(self, article):
        return article.last_updated_on


class AuthorSitemap(Sitemap):
    """Authors with at least one published article; lastmod is their latest article's update."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        latest_update = (
            Article.objects.published()
            .filter(author=OuterRef("pk"))
            .order_by("-last_updated_on")
            .values("last_updated_on")[:1]
        )
        return (
            Author.objects.annotate(latest_update=Subquery(latest_update))
            .filter(latest_update__isnull=False)
            .order_by("name", "pk")
        )

    def lastmod(self, author):
        return author.latest_update


SITEMAPS = {"home": HomeSitemap, "articles": ArticleSitemap, "authors": AuthorSitemap}


@require_safe
def robots_txt(request):
    sitemap_url = absolute_url(request, reverse("blog:sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain; charset=utf-8")
