"""Staff preview: an article or a page, saved or not, rendered exactly as readers would see it."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers


class PreviewAdminMixin:
    """The change (or add) form's posted data, rendered with the reader's template, saving nothing, at
    `<id>/preview/` (or `preview/`): its `preview_template` with `preview_context(obj)`.

    Invalid data gets a page that lists the problems, the way the form would (admin/<app>/<model>/
    preview_errors.html). Either is never cached, never indexed.
    """

    preview_template = None

    def preview_context(self, obj):
        return {"object": obj}

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        preview_view = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview_view, name=f"{prefix}_preview_new"),
            path("<path:object_id>/preview/", preview_view, name=f"{prefix}_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if object_id is None:
            obj = self.model()
            allowed = self.has_add_permission(request)
        else:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
            allowed = self.has_change_permission(request, obj)
        if not allowed:
            raise PermissionDenied
        form_class = self.get_form(request, None if object_id is None else obj)
        with transaction.atomic():  # An article form's conflict check locks the row while it looks.
            form = form_class(request.POST, request.FILES, instance=obj)
            is_valid = form.is_valid()
        if is_valid:
            obj.render_body()
            response = TemplateResponse(request, self.preview_template, self.preview_context(obj))
        else:
            errors = {**self.admin_site.each_context(request), "form": form, "opts": self.opts}
            response = TemplateResponse(
                request, f"admin/{self.opts.app_label}/{self.opts.model_name}/preview_errors.html", errors, status=400
            )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response
