import math

from django.conf import settings
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from authors.models import Author
from config.cachetags import add_tags, object_tag
from staff.access import staff_may

from .models import Article


class ArticleListView(ListView):
    """The home page: published articles, newest first."""

    paginate_by = settings.BLOG_ARTICLES_PER_PAGE
    template_name = "blog/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().select_related("author", "featured_image")


class ArticleDetailView(DetailView):
    """One article, with a page of its comments (?cpage=); staff who may change an unpublished article see it."""

    template_name = "blog/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        """Readers see published articles; staff verified by a second factor when one is required (staff.access)
        also see the unpublished articles they may change: reviewers every one, writers their own."""
        articles = Article.objects.select_related("author", "featured_image").with_page_details().defer("search_vector")
        if staff_may(self.request, "blog.review_article"):
            return articles
        if staff_may(self.request, "blog.change_article"):
            return articles.published_or_written_by(self.request.user)
        return articles.published()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        pages = max(1, math.ceil(article.comment_thread_count / settings.COMMENTS_THREADS_PER_PAGE))
        cpage = self.request.GET.get("cpage", "1")
        if not (cpage.isascii() and cpage.isdigit() and not cpage.startswith("0") and int(cpage) <= pages):
            raise Http404("No such page of comments.")
        return article

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_published():
            add_never_cache_headers(response)
        return add_tags(response, self.object.cache_tags())


class AuthorDetailView(SingleObjectMixin, ListView):
    """An author's bio followed by their published articles, paginated (Django's documented pattern)."""

    paginate_by = settings.BLOG_ARTICLES_PER_PAGE
    template_name = "authors/author_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(queryset=Author.objects.all())
        return add_tags(super().get(request, *args, **kwargs), [object_tag(self.object)])

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.object, **kwargs)

    def get_queryset(self):
        return Article.objects.published().filter(author=self.object).select_related("author", "featured_image")
