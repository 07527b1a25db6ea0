"""Staff preview of a page, saved or not, as readers would see it (as blog.preview does for articles)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from blog.preview import preview_response

from .models import Page


def preview_page(request, model_admin, object_id=None):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    page = Page() if object_id is None else get_object_or_404(Page, pk=object_id)
    allowed = (
        model_admin.has_add_permission(request)
        if object_id is None
        else model_admin.has_change_permission(request, page)
    )
    if not allowed:
        raise PermissionDenied
    form = model_admin.get_form(request, None if object_id is None else page)(request.POST, instance=page)
    if form.is_valid():
        page.render_body()
    return preview_response(request, model_admin, form, "pages/page_detail.html", {"page": page, "preview": True})
