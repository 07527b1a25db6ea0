import datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from comments.blank_form import render_respond, serves_shared_form

from .caching import LISTING, PageCacheMixin, article_scope
from .models import Article
from .page_query import article_for_page


class ArticleListView(PageCacheMixin, ListView):
    """The home page: published articles, newest first."""

    paginate_by = settings.BLOG_ARTICLES_PER_PAGE
    template_name = "blog/article_list.html"
    context_object_name = "articles"
    page_cache_params = ("page",)

    def get_queryset(self):
        return Article.objects.published().select_related("author")

    def page_cache_scopes(self):
        return [LISTING]

    def page_changes_at(self):
        return Article.objects.next_scheduled_at()


class ArticleDetailView(PageCacheMixin, DetailView):
    """One article; staff who may change articles also see drafts and scheduled ones."""

    template_name = "blog/article_detail.html"
    context_object_name = "article"
    page_cache_params = ("cpage",)
    has_per_reader_part = True

    def can_preview(self):
        return self.request.user.has_perm("blog.change_article")

    def get_object(self, queryset=None):
        article = article_for_page(self.kwargs["slug"], drafts=self.can_preview())
        if article is None:
            raise Http404("No article here.")
        return article

    def render_page(self, request, *args, **kwargs):
        response = super().render_page(request, *args, **kwargs)
        if not self.object.is_published():
            add_never_cache_headers(response)
        return response

    def page_cache_scopes(self):
        return [article_scope(self.kwargs["slug"])]

    def page_last_modified(self):
        """Midnight (site time) of "Last Updated On": the one date the page, feeds and HTTP all use."""
        start_of_day = datetime.datetime.combine(self.object.last_updated_on, datetime.time.min)
        return timezone.make_aware(start_of_day).timestamp()

    def page_changes_at(self):
        return self.object.comments_close_at()

    def render_per_reader_part(self):
        """What comments/form.html renders, without a template render per cached hit."""
        return render_respond(self.request, self.object)

    def per_reader_part_is_shared(self):
        return serves_shared_form(self.request)
