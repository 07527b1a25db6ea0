from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from .models import Article


class ArticleListView(ListView):
    """The home page: published articles, newest first."""

    paginate_by = settings.BLOG_ARTICLES_PER_PAGE
    template_name = "blog/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().select_related("author")


class ArticleDetailView(DetailView):
    """One article; staff who may change articles also see drafts and scheduled ones."""

    template_name = "blog/article_detail.html"
    context_object_name = "article"

    def can_preview(self):
        return self.request.user.has_perm("blog.change_article")

    def get_queryset(self):
        articles = Article.objects.select_related("author")
        return articles if self.can_preview() else articles.published()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_published():
            add_never_cache_headers(response)
        return response
