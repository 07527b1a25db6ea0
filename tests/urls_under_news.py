"""The site's URLconf mounted under /news/ (tests of config.url_memo)."""

from django.urls import include, path

urlpatterns = [path("news/", include("config.urls"))]
