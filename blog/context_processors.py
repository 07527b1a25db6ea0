from django.contrib.sites.shortcuts import get_current_site
from django.utils.functional import SimpleLazyObject

from config.url_memo import reverse_memo_each

NAV_URL_NAMES = ("home", "feed", "feed_atom", "search")


def site(request):
    """The current Site, for the header and titles; looked up only if a template uses it (not the 503 page,
    rendered while the database is down)."""
    return {"site": SimpleLazyObject(lambda: get_current_site(request))}


def nav_urls(request):
    """The URLs every page's header and footer link to, from reverse_memo: {% url %} costs about 25
    microseconds a tag, a few percent of an article page's render."""
    urls = reverse_memo_each(*(f"blog:{name}" for name in NAV_URL_NAMES))
    return {"nav_urls": dict(zip(NAV_URL_NAMES, urls, strict=True))}
