from django.shortcuts import get_object_or_404, render

from config.cachetags import add_tags, object_tag

from .models import Page


def page_detail(request, slug):
    """A published static page (drafts are seen through the admin's preview)."""
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return add_tags(render(request, "pages/page_detail.html", {"page": page}), [object_tag(page)])
