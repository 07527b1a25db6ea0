from django.conf import settings
from django.views.generic import ListView
from django.views.generic.detail import SingleObjectMixin

from blog.caching import LISTING, PageCacheMixin
from blog.models import Article

from .models import Author


class AuthorDetailView(PageCacheMixin, SingleObjectMixin, ListView):
    """An author's bio followed by their published articles, paginated (Django's documented pattern)."""

    paginate_by = settings.BLOG_ARTICLES_PER_PAGE
    template_name = "authors/author_detail.html"
    page_cache_params = ("page",)

    def render_page(self, request, *args, **kwargs):
        self.object = self.get_object(queryset=Author.objects.all())
        return super().render_page(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.object, **kwargs)

    def get_queryset(self):
        return Article.objects.published().filter(author=self.object).select_related("author")

    def page_cache_scopes(self):
        return [LISTING]

    def page_changes_at(self):
        return Article.objects.filter(author=self.object).next_scheduled_at()
