from django.contrib.sites.shortcuts import get_current_site


def site(request):
    """The current Site (cached by the sites framework), for the header and titles."""
    return {"site": get_current_site(request)}
