from django.contrib.sites.shortcuts import get_current_site
from django.utils.functional import SimpleLazyObject

from .models import Category


def site(request):
    """The current Site, for the header and titles; looked up only if a template uses it (not the 503 page,
    rendered while the database is down)."""
    return {"site": SimpleLazyObject(lambda: get_current_site(request))}


def sections(request):
    """The top-level categories, for the header's navigation (queried only when a page shows them)."""
    return {"sections": SimpleLazyObject(lambda: list(Category.objects.top_level().only("name", "path")))}
