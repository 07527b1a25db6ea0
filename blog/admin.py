from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import ngettext

from .models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "is_published", "published_at", "last_updated_on"]
    list_filter = ["status", "allow_comments", "author", "last_updated_on"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body", "author__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author"]
    actions = ["mark_updated_today"]
    save_on_top = True
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "last_updated_on"]}),
        ("Comments", {"fields": ["allow_comments", "close_comments_after_days"]}),
    ]

    @admin.action(description="Mark selected articles as updated today", permissions=["change"])
    def mark_updated_today(self, request, queryset):
        count = queryset.update(last_updated_on=timezone.localdate(), modified=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d article marked as updated today.",
                "%(count)d articles marked as updated today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
