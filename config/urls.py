from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from blog.urls import author_urlpatterns

from . import views

handler500 = views.server_error

# The readers' pages first: every request tries these patterns in order until one matches.
urlpatterns = [
    path("", include("blog.urls")),
    path("authors/", include((author_urlpatterns, "authors"))),
    path("articles/<slug:slug>/comments/", include("comments.feed_urls")),
    path("comments/", include("comments.urls")),
    path("healthz", views.healthz, name="healthz"),
    # Passkeys' JSON endpoints (config/passkeys.py: registration for verified staff only), used by the admin's
    # log-in and two-factor pages.
    path("admin/passkeys/", include("config.passkeys", namespace="otp_webauthn")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Last: static pages at /<slug>/ (their slugs may not be any of the prefixes above: pages.models.reserved_slugs).
urlpatterns += [path("", include("pages.urls"))]
