from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from .models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["list_photo", "name", "slug", "article_count"]
    list_display_links = ["list_photo", "name"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview", "created", "modified"]
    fields = ["name", "slug", "user", "bio", "photo", "photo_preview", "created", "modified"]

    # Who may change authors (editors) changes every profile and links it to an account; an account linked to a
    # profile changes that one only, and not its link or address.
    def get_queryset(self, request):
        authors = super().get_queryset(request).annotate_article_count()
        return authors if self.edits_every_profile(request) else authors.filter(user=request.user)

    def edits_every_profile(self, request):
        return super().has_change_permission(request)

    def has_change_permission(self, request, obj=None):
        if self.edits_every_profile(request):
            return True
        if not request.user.is_active or not request.user.is_staff:
            return False
        return obj.user_id == request.user.pk if obj is not None else hasattr(request.user, "author")

    def get_readonly_fields(self, request, obj=None):
        if self.edits_every_profile(request):
            return self.readonly_fields
        return [*self.readonly_fields, "slug", "user"]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if self.edits_every_profile(request) else {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
