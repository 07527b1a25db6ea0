from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from blog.history_diff import ReadableHistoryMixin
from blog.preview import PreviewAdminMixin
from blog.redirects import RedirectedPathFormMixin

from .models import Page


class PageAdminForm(RedirectedPathFormMixin, forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "status", "menu_order"]
        widgets = {"title": forms.TextInput(attrs={"class": "vLargeTextField"})}


@admin.register(Page)
class PageAdmin(PreviewAdminMixin, ReadableHistoryMixin, SimpleHistoryAdmin):
    object_history_list_template = "admin/blog/article/object_history_list.html"
    form = PageAdminForm
    list_display = ["title", "slug", "status", "menu_order", "modified"]
    list_filter = ["status"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    view_on_site = True
    preview_template = "pages/page_detail.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "body"]}),
        (_("Publishing"), {"fields": ["status", "menu_order"]}),
        (_("Address"), {"classes": ["collapse"], "fields": ["replace_redirect"]}),
    ]

    def preview_context(self, page):
        return {"page": page, "preview": True}
