"""sitemap.xml (home, published articles, authors', categories' and tags' pages; "Last Updated On" as lastmod)
and robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from authors.models import Author
from config.cachetags import list_tag

from .models import Article, Category, Tag
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


class CategorySitemap(Sitemap):
    """Categories with a published article (theirs or a subcategory's: their archive is not a 404)."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        in_subtree = Q(categories__path=OuterRef("path")) | Q(
            categories__path__startswith=Concat(OuterRef("path"), Value("/"))
        )
        latest_update = (
            Article.objects.published().filter(in_subtree).order_by("-last_updated_on").values("last_updated_on")[:1]
        )
        return (
            Category.objects.annotate(latest_update=Subquery(latest_update))
            .filter(latest_update__isnull=False)
            .order_by("path")
        )

    def lastmod(self, category):
        return category.latest_update


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return (
            Tag.objects.filter(articles__in=Article.objects.published())
            .annotate(latest_update=Max("articles__last_updated_on"))
            .order_by("slug")
        )

    def lastmod(self, tag):
        return tag.latest_update


# Other apps add theirs when ready (pages.apps): one sitemap.xml for the whole site, with the cache tags of
# the lists it shows (config.cachetags).
SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "authors": AuthorSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
}
SITEMAP_TAGS = [list_tag(Article), list_tag(Author), list_tag(Category), list_tag(Tag)]


@require_safe
def robots_txt(request):
    sitemap_url = absolute_url(request, reverse("blog:sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain; charset=utf-8")
