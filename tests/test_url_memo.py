"""config.url_memo: remembered URLs are reverse()'s, for the URLconf, script prefix and language in use."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from config.url_memo import reverse_memo, reverse_memo_each


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("blog:home", {}), ("blog:article", {"slug": "xiaomi-ban"}), ("authors:detail", {"slug": "alison-johnson"})],
)
def test_gives_what_reverse_gives(name, kwargs):
    assert reverse_memo(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_follows_the_script_prefix():
    reverse_memo("blog:article", slug="xiaomi-ban")
    set_script_prefix("/site/")
    try:
        assert reverse_memo("blog:article", slug="xiaomi-ban") == "/site/articles/xiaomi-ban/"
    finally:
        set_script_prefix("/")
    assert reverse_memo("blog:article", slug="xiaomi-ban") == "/articles/xiaomi-ban/"


def test_follows_the_urlconf():
    reverse_memo("blog:article", slug="xiaomi-ban")

    with override_settings(ROOT_URLCONF="tests.urls_under_news"):
        assert reverse_memo("blog:article", slug="xiaomi-ban") == "/news/articles/xiaomi-ban/"


def test_each_gives_what_reverse_gives_for_every_name_in_order():
    assert reverse_memo_each("blog:search", "blog:home") == [reverse("blog:search"), reverse("blog:home")]


def test_each_follows_the_script_prefix():
    reverse_memo_each("blog:home")
    set_script_prefix("/site/")
    try:
        assert reverse_memo_each("blog:home") == ["/site/"]
    finally:
        set_script_prefix("/")
