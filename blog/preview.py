"""Staff preview: an article, saved or not, rendered exactly as readers would see it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from .models import Article


def preview_article(request, model_admin, object_id=None):
    """Render the change (or add) form's posted data with the reader template, saving nothing.

    Invalid data gets a page that lists the problems, the way the form would.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if object_id is None:
        article = Article()
        allowed = model_admin.has_add_permission(request)
    else:
        article = get_object_or_404(Article, pk=object_id)
        allowed = model_admin.has_change_permission(request, article)
    if not allowed:
        raise PermissionDenied
    form_class = model_admin.get_form(request, None if article._state.adding else article)
    with transaction.atomic():  # The form's conflict check locks the row while it looks.
        form = form_class(request.POST, request.FILES, instance=article)
        is_valid = form.is_valid()
    if is_valid:
        article.render_body()
    return preview_response(
        request, model_admin, form, "blog/article_detail.html", {"article": article, "object": article}
    )


def preview_response(request, model_admin, form, template, context):
    """The reader's page for a valid form, else the list of its problems (templates under admin/<app>/<model>/);
    never cached, never indexed. Also serves the pages app's preview."""
    if form.is_valid():
        response = TemplateResponse(request, template, context)
    else:
        opts = form._meta.model._meta
        errors = {**model_admin.admin_site.each_context(request), "form": form, "opts": opts}
        response = TemplateResponse(
            request, f"admin/{opts.app_label}/{opts.model_name}/preview_errors.html", errors, status=400
        )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
