"""axe-core in a real browser finds no serious or critical accessibility problems on the reader pages."""

import pytest
from django.urls import reverse

# The live server reads the database from its own thread, so data must be committed; the serialized
# rollback puts back what migrations created (the Editors group, the site) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SERIOUS = {"serious", "critical"}


def serious_violations(page, axe_script):
    page.add_script_tag(path=str(axe_script))
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
        pytest.param(lambda article: "/no-such-page/", 404, id="404"),
    ],
)
def test_page_has_no_serious_accessibility_violations(page, live_server, site_content, axe_script, path, status):
    response = page.goto(live_server.url + path(site_content))
    assert response.status == status

    assert serious_violations(page, axe_script) == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, site_content):
    page.goto(live_server.url + reverse("blog:home"))
    skip_link = page.get_by_role("link", name="Skip to content")
    assert skip_link.bounding_box()["y"] < 0  # Off screen until focused (so the stylesheet was served).

    page.keyboard.press("Tab")
    assert skip_link.bounding_box()["y"] >= 0
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "content"
