from django.contrib.sites.shortcuts import get_current_site
from django.utils.functional import SimpleLazyObject


def site(request):
    """The current Site, for the header and titles; looked up only if a template uses it (not the 503 page,
    rendered while the database is down)."""
    return {"site": SimpleLazyObject(lambda: get_current_site(request))}
