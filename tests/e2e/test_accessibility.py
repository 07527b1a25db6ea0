"""axe-core in a real browser finds no moderate, serious or critical accessibility problems on the reader pages
(with comments) and on the admin pages editors work in."""

import pytest
from django.core import signing
from django.urls import reverse

from blog.models import Article
from comments.cookies import HELD_HINT_COOKIE, POSTED_COOKIE, POSTED_SALT
from comments.links import comment_url
from tests.comment_factories import CommentFactory
from tests.e2e.conftest import AXE_SCRIPT
from tests.e2e.test_editor_journey import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FAILING_IMPACTS = {"moderate", "serious", "critical"}


def violations(page):
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
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
def test_page_has_no_moderate_or_worse_accessibility_violations(axe_page, site, path, status):
    response = axe_page.goto(site + path(Article.objects.get()))
    assert response.status == status

    found = violations(axe_page)
    assert found == [], "\n".join(found)


@pytest.fixture
def article_with_comments(site):
    """The seed article with a thread readers see: comments, a reply, a removed comment, and pages of threads."""
    article = Article.objects.get()
    first = CommentFactory(article=article, user_name="Nadia Khan", user_url="https://nadia.example")
    CommentFactory(article=article, parent=first, user_name="Imran Ali")
    CommentFactory(article=article, is_removed=True)
    CommentFactory.create_batch(25, article=article)
    return article


@pytest.mark.parametrize("query", ["", "?cpage=2#comments", "?cpage=1&reply_to=first#respond"])
def test_article_with_comments_has_no_moderate_or_worse_violations(axe_page, site, article_with_comments, query):
    first = article_with_comments.get_absolute_url()
    reply_to = str(CommentFactory._meta.model.objects.filter(user_name="Nadia Khan").get().pk)
    response = axe_page.goto(site + first + query.replace("first", reply_to))
    assert response.status == 200

    found = violations(axe_page)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_held_reply_in_its_place_has_no_violations_in_light_or_dark_mode(axe_page, site, article_with_comments, scheme):
    """The reader's own held reply under the comment it answers, with the notice under the heading."""
    parent = CommentFactory._meta.model.objects.filter(user_name="Nadia Khan").get()
    held = CommentFactory(article=article_with_comments, parent=parent, is_public=False, user_name="Held Reader")
    axe_page.emulate_media(color_scheme=scheme)

    response = axe_page.goto(site + comment_url(held))
    assert response.status == 200
    assert axe_page.locator(f"#c{parent.pk} li.comment-held").count() == 1

    found = violations(axe_page)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_notice_of_a_held_reply_on_another_comments_page_has_no_violations(
    axe_page, site, article_with_comments, scheme
):
    """Comments page 1 of the reader who replied to a comment on page 2: the notice that says where it is
    (comments.js, from the reader's own signed cookie)."""
    parent = CommentFactory._meta.model.objects.filter(is_public=True, is_removed=False).latest("thread_id")
    held = CommentFactory(article=article_with_comments, parent=parent, is_public=False, user_name="Held Reader")
    axe_page.context.add_cookies(
        [
            {"name": POSTED_COOKIE, "value": signing.dumps([held.pk], salt=POSTED_SALT), "url": site},
            {"name": HELD_HINT_COOKIE, "value": str(article_with_comments.pk), "url": site},
        ]
    )
    axe_page.emulate_media(color_scheme=scheme)

    axe_page.goto(site + article_with_comments.get_absolute_url())
    axe_page.locator(".comments-held-elsewhere").wait_for()

    found = violations(axe_page)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("page_name", ["home", "article", "tag"])
def test_dark_mode_has_no_violations(axe_page, site, article_with_comments, page_name):
    article = article_with_comments
    path = {"home": "/", "article": article.get_absolute_url(), "tag": article.tags.first().get_absolute_url()}
    axe_page.emulate_media(color_scheme="dark")

    axe_page.goto(site + path[page_name])

    assert axe_page.evaluate("getComputedStyle(document.body).colorScheme") == "dark"
    found = violations(axe_page)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(lambda article: reverse("admin:index"), id="admin-index"),
        pytest.param(lambda article: reverse("admin:blog_article_changelist"), id="admin-article-list"),
        pytest.param(lambda article: reverse("admin:blog_article_change", args=[article.pk]), id="admin-article-form"),
        pytest.param(
            lambda article: reverse("admin:django_comments_xtd_xtdcomment_changelist"), id="admin-comment-list"
        ),
        pytest.param(
            lambda article: reverse("admin:django_comments_xtd_xtdcomment_changelist") + "?status=held",
            id="admin-held-comments",
        ),
        pytest.param(lambda article: reverse("admin:blog_article_history", args=[article.pk]), id="admin-history"),
    ],
)
def test_admin_page_has_no_moderate_or_worse_violations(axe_page, site, article_with_comments, editor_account, path):
    CommentFactory(article=article_with_comments, is_public=False, user_name="Held Reader")
    log_in(axe_page, site, editor_account.username)

    response = axe_page.goto(site + path(article_with_comments))
    assert response.status == 200

    found = violations(axe_page)
    assert found == [], "\n".join(found)


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
