"""axe-core in a real browser finds no serious or critical accessibility problems on the reader pages."""

import pytest
from django.urls import reverse

from blog.models import Article

from .conftest import AXE_SCRIPT

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SERIOUS = {"serious", "critical"}


def serious_violations(page):
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in SERIOUS
    ]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param(lambda article: reverse("blog:home"), 200, id="home"),
        pytest.param(lambda article: article.get_absolute_url(), 200, id="article"),
        pytest.param(lambda article: article.author.get_absolute_url(), 200, id="author"),
        pytest.param(lambda article: reverse("blog:search") + "?q=PTA", 200, id="search"),
        pytest.param(lambda article: reverse("blog:search") + "?q=", 200, id="search-error"),
        pytest.param(lambda article: article.categories.first().get_absolute_url(), 200, id="category"),
        pytest.param(lambda article: article.tags.first().get_absolute_url(), 200, id="tag"),
        pytest.param(lambda article: "/privacy/", 200, id="static-page"),
        pytest.param(lambda article: "/no-such-page/", 404, id="404"),
    ],
)
def test_page_has_no_serious_accessibility_violations(axe_page, site, path, status):
    response = axe_page.goto(site + path(Article.objects.get()))
    assert response.status == status

    assert serious_violations(axe_page) == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(reader, site):
    page = reader
    page.goto(site + reverse("blog:home"))
    skip_link = page.get_by_role("link", name="Skip to content")
    assert skip_link.bounding_box()["y"] < 0  # Off screen until focused (so the stylesheet was served).

    page.keyboard.press("Tab")
    assert skip_link.bounding_box()["y"] >= 0
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "content"
