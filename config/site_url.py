"""The site's public address: SITE_URL sets the Site's domain, and production refuses pages while it is unset.

Canonical links, OpenGraph and JSON-LD, feeds, the sitemap and the links in emails take their domain from the
current Site (admin › Sites). The starting content sets it to the development address, 127.0.0.1:8000. In
production, that address would go into every page on the real host. So:

- with SITE_URL set ("https://blog.example.com"), each app server writes its host (and port, if any) into the
  Site as it starts (`apply_site_url`, called by config/wsgi.py, and by `manage.py set_site_url`);
- with DEBUG off, while the Site still holds a development address, a page asked for on any other host answers
  503 saying what to set (`SiteAddressCheckMiddleware`); the admin and /healthz still answer, and so does the
  site on 127.0.0.1, localhost or a single-label name (`make serve` on this machine, the tests' "testserver").
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.db import DatabaseError
from django.shortcuts import render

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
UNCHECKED_PATHS = ("/admin/", "/healthz", "/static/")


def site_link(path):
    """An absolute link for an email or a command's output, on the Site's domain (admin › Sites): never from a
    request's Host or X-Forwarded-Host, which whoever sends the request chooses. HTTPS unless the site runs on
    plain HTTP."""
    scheme = "http" if settings.DEBUG or settings.ALLOW_INSECURE_HTTP else "https"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def site_domain(site_url):
    """The Site domain for a SITE_URL: "https://blog.example.com" gives "blog.example.com" (a port is kept)."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's address, like https://blog.example.com, not {site_url!r}."
        )
    return parts.netloc.lower()


def _host_name(domain):
    """The host of "name:port" or "[v6]:port", lower-cased, without the port."""
    host = domain.lower()
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_development_domain(domain):
    """Whether a Site domain is a development address (127.0.0.1, localhost, ::1, with or without a port)."""
    return _host_name(domain) in LOOPBACK_HOSTS


def is_public_host(host):
    """Whether a request's host is one the public may use: a dotted name or address other than loopback.
    Single-label names (Django's test client's "testserver", an intranet machine) are not."""
    name = _host_name(host)
    return name not in LOOPBACK_HOSTS and not name.startswith("127.") and "." in name


def apply_site_url():
    """Make the current Site's domain SITE_URL's host, or warn that it still holds a development address.

    Returns what it did, as one line for the log. At an app server's start (config/wsgi.py), close the
    connection it used afterwards, so that workers forked later do not share it.
    """
    try:
        site = Site.objects.get(pk=settings.SITE_ID)
        if settings.SITE_URL:
            domain = site_domain(settings.SITE_URL)
            if site.domain != domain:
                old = site.domain
                site.domain = domain
                site.save(update_fields=["domain"])
                return f"Site domain set from SITE_URL: {old} -> {domain}."
            return f"Site domain is {domain}, as SITE_URL says."
        if is_development_domain(site.domain) and not settings.DEBUG:
            message = (
                f"SITE_URL is not set and the Site's domain is the development address {site.domain}: pages asked "
                "for on any other host answer 503 until SITE_URL is set (or the Site changed in admin › Sites)."
            )
            logger.warning(message)
            return message
        return f"Site domain is {site.domain} (SITE_URL not set)."
    except DatabaseError as error:  # The database is not there yet: pages say so (503) until it is.
        logger.error("Could not check the Site's domain at start: %s", error)
        return f"Could not check the Site's domain: {error}"


class SiteAddressCheckMiddleware:
    """DEBUG off: refuse public pages on a public host while the Site holds a development address (503)."""

    def __init__(self, get_response):
        if settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(UNCHECKED_PATHS):
            host = request.get_host()
            domain = Site.objects.get_current().domain  # Cached by Django after the first request.
            if is_development_domain(domain) and is_public_host(host):
                context = {"domain": domain, "host": host}
                response = render(request, "site_address_unset.html", context, status=503)
                response["Cache-Control"] = "no-store"
                return response
        return self.get_response(request)
