from django.contrib import admin
from django.utils.html import format_html

from .models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["list_photo", "name", "slug", "article_count"]
    list_display_links = ["list_photo", "name"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview", "created", "modified"]
    fields = ["name", "slug", "bio", "photo", "photo_preview", "created", "modified"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate_article_count()

    @admin.display(description="Photo")
    def list_photo(self, author):
        return self._preview(author, 40)

    @admin.display(description="Preview")
    def photo_preview(self, author):
        return self._preview(author, 160)

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, author):
        return author.article_count

    def _preview(self, author, size):
        if author.photo:
            return format_html(
                '<img src="{}" alt="" width="{}" height="{}" style="object-fit:cover;border-radius:50%">',
                author.photo.url,
                size,
                size,
            )
        return format_html(
            '<span style="display:inline-grid;place-items:center;width:{}px;height:{}px;border-radius:50%;'
            'background:{};color:#fff;font-weight:600">{}</span>',
            size,
            size,
            author.avatar_colour,
            author.initials,
        )
