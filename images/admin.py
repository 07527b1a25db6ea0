from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The image library. An image an article still shows cannot be deleted: Django's delete page lists them."""

    list_display = ["thumbnail", "alt_text", "caption", "credit", "size", "usage_count", "created"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "created"
    readonly_fields = ["preview", "reference", "size", "used_by", "created"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt_text", "caption", "credit"]}),
        (_("Use"), {"fields": ["reference", "used_by", "size", "created"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(usage_count=Count("featured_in", distinct=True) + Count("article_uses", distinct=True))
            .order_by(*Image._meta.ordering)
        )

    @admin.display(description=_("Image"))
    def thumbnail(self, image):
        return self._img(image, 120)

    @admin.display(description=_("Preview"))
    def preview(self, image):
        return self._img(image, 480) if image.pk else "—"

    def _img(self, image, width):
        if not image.file:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="{}" style="height:auto;max-width:100%">', image.url_for_width(width), width
        )

    @admin.display(description=_("Reference"))
    def reference(self, image):
        if not image.pk:
            return "—"
        return format_html(
            "<code>{}</code><br>{}",
            image.reference(),
            _("On its own line in an article's body (or use “Insert image”)."),
        )

    @admin.display(description=_("Size"))
    def size(self, image):
        return f"{image.width}×{image.height}" if image.width else "—"

    @admin.display(description=_("Articles"), ordering="usage_count")
    def usage_count(self, image):
        return image.usage_count

    @admin.display(description=_("Used by"))
    def used_by(self, image):
        if not image.pk:
            return "—"
        articles = {use.article for use in image.article_uses.select_related("article")} | set(image.featured_in.all())
        if not articles:
            return _("No article: it can be deleted.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((reverse("admin:blog_article_change", args=[article.pk]), article.title) for article in articles),
            ),
        )
