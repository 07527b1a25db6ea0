from django.contrib.sites.shortcuts import get_current_site


def site(request):
    """The current Site, for the header and titles (Django caches it per process: no query per request)."""
    return {"site": get_current_site(request)}
