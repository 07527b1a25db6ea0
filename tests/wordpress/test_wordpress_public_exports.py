"""WordPress's own edge-case exports, imported and read as readers do: no protected text public, no shortcode or
block markup shown, every old address of a published post or page landing on a page that shows its title.

The exports are public (github.com/WordPress/theme-test-data: themeunittestdata.wordpress.xml and
64-block-test-data.xml) but not copied into this repository; set WORDPRESS_THEME_TEST_DATA to a folder holding
them to run these tests (they are skipped otherwise).
"""

import os
import re
from pathlib import Path

import pytest
from django.utils.html import escape

from blog.models import Article
from pages.models import Page
from tests.wordpress.test_wordpress_edge_cases import run
from wordpress import permalinks, wxr

FOLDER = Path(os.environ.get("WORDPRESS_THEME_TEST_DATA", "/nonexistent"))
EXPORTS = ["themeunittestdata.wordpress.xml", "64-block-test-data.xml"]
# What WordPress itself shows as text: the theme unit test's "coracles [simple boat]", and a code block showing
# block markup.
TEXT_THAT_LOOKS_LIKE_MARKUP = {"[simple boat]"}
RAW_MARKUP = re.compile(r"\[/?[a-z][\w-]*(?:\s[^\]]*)?\]|<!-- /?wp:[^>]*-->")

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not FOLDER.is_dir(), reason="WORDPRESS_THEME_TEST_DATA names no folder"),
]


@pytest.mark.parametrize("name", EXPORTS)
def test_a_public_wordpress_test_export_reads_as_wordpress_showed_it(client, name):
    path = FOLDER / name
    run(path)
    export = wxr.parse(path)
    pages = {
        url: client.get(url, follow=True).content.decode()
        for url in [
            *(article.get_absolute_url() for article in Article.objects.published()),
            *(page.get_absolute_url() for page in Page.objects.published()),
            "/",
            "/feed/",
            "/sitemap.xml",
            "/search/?q=password",
        ]
    }
    problems = []
    for item in (each for each in export.items if each.post_password):
        secret = " ".join(re.sub(r"<[^>]+>", " ", item.content).split())[:60]
        problems += [f"{item.title}'s text on {url}" for url, page in pages.items() if secret and secret in page]
    for url, page in pages.items():
        main = page.split("<main", 1)[-1]
        problems += [f"{url}: {raw}" for raw in RAW_MARKUP.findall(main) if raw not in TEXT_THAT_LOOKS_LIKE_MARKUP]
    public = [
        item
        for item in export.items
        if item.post_type in ("post", "page") and item.status == "publish" and not item.post_password
    ]
    for item in public:
        paths = [re.sub("/{2,}", "/", item.link_path), *permalinks.old_slug_paths(item), *permalinks.plain_paths(item)]
        for path in filter(None, paths):
            for query in ("", "utm_source=newsletter"):
                address = f"{path}{'&' if '?' in path else '?'}{query}" if query else path
                response = client.get(address, follow=True)
                if response.status_code != 200:
                    problems.append(f"{address}: {response.status_code}")
                elif escape(item.title.strip()) not in response.content.decode():
                    problems.append(f"{address}: the title {item.title!r} is not shown")
    assert problems == []
