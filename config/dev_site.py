"""Development only (DEBUG on): absolute URLs on the host and port the browser used.

Canonical links, JSON-LD, feeds and the sitemap take their domain from the current Site (the Sites framework),
which holds the production domain. Under `make run PORT=8123` the site is at 127.0.0.1:8123, so with DEBUG on
this middleware makes each request's current Site a copy whose domain is the request's host. With DEBUG off
it is not used at all, and production keeps the Site's domain.

Django keeps the current Site in `django.contrib.sites.models.SITE_CACHE`, a module-level dict that every
`get_current_site()` reads (Django's feeds and sitemaps included); the middleware puts a dict there that
answers per request, through a context variable (one per thread under runserver). `SiteManager.clear_cache()`
replaces that dict, so each request checks it is still in place.
"""

import copy
from contextvars import ContextVar

from django.conf import settings
from django.contrib.sites import models as sites_models
from django.core.exceptions import MiddlewareNotUsed

request_host = ContextVar("request_host", default=None)


class RequestHostSiteCache(dict):
    """Django's Site cache, answering the current Site with the request's host as its domain."""

    def __getitem__(self, key):
        site = super().__getitem__(key)
        host = request_host.get()
        if host is None or site.domain == host:
            return site
        site = copy.copy(site)
        site.domain = host
        return site


class RequestHostSiteMiddleware:
    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not isinstance(sites_models.SITE_CACHE, RequestHostSiteCache):
            sites_models.SITE_CACHE = RequestHostSiteCache(sites_models.SITE_CACHE)
        token = request_host.set(request.get_host())
        try:
            return self.get_response(request)
        finally:
            request_host.reset(token)
