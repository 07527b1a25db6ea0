"""Category and tag archives: the published articles filed under one, newest first, paginated.

An archive with no published article is a 404, not an empty page. Each page takes the same handful of
queries however many articles there are (the listing loads authors and featured images with the articles).
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator
from django.views.generic import ListView

from config.cachetags import add_tags, object_tag

from .models import Article, Category, Tag


def listed(articles):
    """Articles as listings show them: with their author and featured image, without the search index."""
    return articles.select_related("author", "featured_image").defer("search_vector")


class ArchiveView(ListView):
    """An archive's page says what it is: "Tag: Xiaomi", "Category: Mobile › Smartphones" (each parent a link)."""

    kind = ""
    paginate_by = settings.BLOG_ARTICLES_PER_PAGE
    allow_empty = False
    template_name = "blog/archive.html"
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        self.archive = self.get_archive()
        return add_tags(super().get(request, *args, **kwargs), [object_tag(self.archive)])

    def get_context_data(self, **kwargs):
        # One line for search engines, whatever line breaks the editor typed.
        description = Truncator(" ".join(self.archive.description.split())).words(30)
        return super().get_context_data(
            archive=self.archive,
            archive_kind=self.kind,
            archive_title=f"{self.kind}: {self.archive}",
            archive_parents=self.parents(),
            meta_description=description or f"The latest articles in {self.archive.name}.",
            **kwargs,
        )

    def parents(self):
        return []


class CategoryArchiveView(ArchiveView):
    """A category's articles, and those of the categories inside it."""

    kind = "Category"

    def parents(self):
        """The categories it is inside, from the top (loaded with it)."""
        parents = []
        category = self.archive.parent
        while category is not None:
            parents.insert(0, category)
            category = category.parent
        return parents

    def get_archive(self):
        return get_object_or_404(Category.objects.select_related("parent__parent"), path=self.kwargs["path"])

    def get_queryset(self):
        return listed(Article.objects.published().in_categories(self.archive))


class TagArchiveView(ArchiveView):
    kind = "Tag"

    def get_archive(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def get_queryset(self):
        return listed(Article.objects.published().filter(tags=self.archive))
