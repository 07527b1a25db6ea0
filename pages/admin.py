from django import forms
from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from blog.history_diff import ReadableHistoryMixin
from blog.redirects import RedirectedPathFormMixin

from .models import Page
from .preview import preview_page


class PageAdminForm(RedirectedPathFormMixin, forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "status", "menu_order"]
        widgets = {"title": forms.TextInput(attrs={"class": "vLargeTextField"})}


@admin.register(Page)
class PageAdmin(ReadableHistoryMixin, SimpleHistoryAdmin):
    object_history_list_template = "admin/blog/article/object_history_list.html"
    form = PageAdminForm
    list_display = ["title", "slug", "status", "menu_order", "modified"]
    list_filter = ["status"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "body"]}),
        (_("Publishing"), {"fields": ["status", "menu_order"]}),
        (_("Address"), {"classes": ["collapse"], "fields": ["replace_redirect"]}),
    ]

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        preview_view = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview_view, name=f"{prefix}_preview_new"),
            path("<path:object_id>/preview/", preview_view, name=f"{prefix}_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        return preview_page(request, self, object_id)
