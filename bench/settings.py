"""The site's settings plus the framework-floor view (bench/urls.py), for `make bench`'s servers only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
