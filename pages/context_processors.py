from django.utils.functional import SimpleLazyObject

from .models import Page


def footer_pages(request):
    """The published pages linked in every page's footer ("About us", "Privacy"); queried only when shown."""
    return {"footer_pages": SimpleLazyObject(lambda: list(Page.objects.in_menu().only("title", "slug")))}
