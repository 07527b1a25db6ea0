"""The site's URLs plus the framework floor: a minimal view returning the article page's bytes."""

import os
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


@cache
def page_bytes():
    return Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes()


def floor(request):
    return HttpResponse(page_bytes(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *site_urlpatterns]
