"""Changed addresses answer 301 to the new one (blog.redirects, looked up only on a 404), by path, keeping tracking
and site parameters; chains are flattened; a new object cannot take a redirected address unless the editor
confirms."""

import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from blog.models import Article
from tests.factories import ArticleFactory, CategoryFactory, PageFactory, TagFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


def test_changed_article_slug_answers_a_permanent_redirect(client):
    article = ArticleFactory(slug="old-slug")
    rename(article, "new-slug")

    response = client.get("/articles/old-slug/")

    assert response.status_code == 301
    assert response["Location"] == "/articles/new-slug/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("?utm_source=newsletter&utm_campaign=may", "?utm_source=newsletter&utm_campaign=may"),
        ("?fbclid=IwAR0abc", "?fbclid=IwAR0abc"),
        ("?cpage=2", "?cpage=2"),
        ("?unapproved=12&moderation-hash=0123abcd", ""),
        ("?replytocom=5&utm_medium=email", "?utm_medium=email"),
    ],
)
def test_a_redirect_matches_the_path_and_keeps_only_tracking_and_site_parameters(client, query, kept):
    rename(ArticleFactory(slug="old-slug"), "new-slug")

    response = client.get(f"/articles/old-slug/{query}")

    assert response.status_code == 301
    assert response["Location"] == f"/articles/new-slug/{kept}"


def test_a_missing_trailing_slash_still_finds_the_redirect(client):
    rename(ArticleFactory(slug="old-slug"), "new-slug")

    assert client.get("/articles/old-slug?utm_source=x")["Location"] == "/articles/new-slug/?utm_source=x"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/articles/old-slug/card.png", "/articles/new-slug/card.png"),
        ("/articles/old-slug/comments/feed/", "/articles/new-slug/comments/feed/"),
        ("/articles/old-slug/comments/feed/atom/", "/articles/new-slug/comments/feed/atom/"),
    ],
)
def test_a_renamed_articles_card_and_comment_feeds_follow_it(client, old, new):
    rename(ArticleFactory(slug="old-slug"), "new-slug")

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_wordpress_paged_lists_are_the_lists_pages(client):
    rename(TagFactory(slug="old"), "new")

    assert client.get("/tag/old/page/2/?utm_source=x")["Location"] == "/tag/new/?page=2&utm_source=x"
    assert client.get("/page/3/")["Location"] == "/?page=3"


def test_a_renamed_tags_feed_is_not_taken_for_an_articles(client):
    rename(TagFactory(slug="old"), "new")

    assert client.get("/tag/old/card.png").status_code == 404


def test_a_chain_of_changes_redirects_in_one_hop(client):
    article = ArticleFactory(slug="first")
    rename(article, "second")
    rename(article, "third")

    assert client.get("/articles/first/")["Location"] == "/articles/third/"
    assert client.get("/articles/second/")["Location"] == "/articles/third/"


def test_going_back_to_an_old_slug_drops_the_redirect_that_would_loop(client):
    article = ArticleFactory(slug="first")
    rename(article, "second")
    rename(article, "first")

    assert client.get("/articles/first/").status_code == 200
    assert client.get("/articles/second/")["Location"] == "/articles/first/"
    assert not Redirect.objects.filter(old_path="/articles/first/").exists()


def test_a_draft_changing_its_slug_leaves_no_redirect():
    rename(ArticleFactory(slug="draft-one", status=Article.Status.DRAFT), "draft-two")

    assert not Redirect.objects.exists()


def test_unpublishing_drops_the_redirects_that_would_reveal_its_address(client):
    article = rename(ArticleFactory(slug="first"), "second")
    article.status = Article.Status.DRAFT
    article.save()

    assert client.get("/articles/first/").status_code == 404
    assert not Redirect.objects.exists()


@pytest.mark.parametrize(
    ("factory", "old", "new"),
    [
        (TagFactory, "/tag/old/", "/tag/new/"),
        (CategoryFactory, "/category/old/", "/category/new/"),
        (PageFactory, "/old/", "/new/"),
    ],
)
def test_tags_categories_and_pages_redirect_too(client, factory, old, new):
    obj = factory(slug="old")
    if factory is not PageFactory:
        obj.articles.add(ArticleFactory())
    rename(obj, "new")

    response = client.get(old)

    assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(new).status_code == 200


def test_renaming_a_parent_category_redirects_its_children(client):
    top = CategoryFactory(slug="news")
    child = CategoryFactory(slug="mobile", parent=top)
    child.articles.add(ArticleFactory())
    rename(top, "latest")

    assert client.get("/category/news/mobile/")["Location"] == "/category/latest/mobile/"


def test_a_redirect_costs_one_lookup_on_a_404(client, django_assert_max_num_queries):
    rename(ArticleFactory(slug="old-slug"), "new-slug")
    client.get("/articles/old-slug/")

    # The article's miss; the 404 page's header sections and footer pages; the indexed redirect lookup; then
    # whether the target is an article readers cannot see yet (config/redirect_rules.py).
    with django_assert_max_num_queries(5):
        assert client.get("/articles/old-slug/").status_code == 301


def test_redirects_are_in_the_admin(editor_client):
    rename(ArticleFactory(slug="old-slug"), "new-slug")

    content = editor_client.get(reverse("admin:redirects_redirect_changelist")).content.decode()

    assert "/articles/old-slug/" in content


def add_article_data(editor_client, slug, **extra):
    data = form_data(editor_client.get(reverse("admin:blog_article_add")), "article_form")
    author = ArticleFactory().author
    data.update(title="A new story", slug=slug, author=str(author.pk), body="Text.", status="published", **extra)
    return data


def test_a_new_article_cannot_take_a_redirected_address_without_confirming(editor_client):
    rename(ArticleFactory(slug="old-slug"), "new-slug")

    response = editor_client.post(reverse("admin:blog_article_add"), add_article_data(editor_client, "old-slug"))

    assert response.status_code == 200
    assert "still redirects readers to /articles/new-slug/" in response.content.decode()
    assert not Article.objects.filter(slug="old-slug").exists()


def test_confirming_takes_the_address_over_and_ends_the_redirect(editor_client, client):
    rename(ArticleFactory(slug="old-slug"), "new-slug")
    data = add_article_data(editor_client, "old-slug", replace_redirect="on")

    response = editor_client.post(reverse("admin:blog_article_add"), data)

    assert response.status_code == 302
    assert not Redirect.objects.filter(old_path="/articles/old-slug/").exists()
    assert client.get("/articles/old-slug/").context["article"].title == "A new story"


def test_a_new_tag_in_the_admin_is_refused_on_a_redirected_address(editor_client):
    tag = rename(TagFactory(slug="old"), "new")
    data = {"name": "Old again", "slug": "old"}

    response = editor_client.post(reverse("admin:blog_tag_add"), data)

    assert "still redirects readers to /tag/new/" in response.content.decode()
    assert list(type(tag).objects.values_list("slug", flat=True)) == ["new"]


def test_a_suffix_under_an_address_that_is_no_list_or_article_stays_a_404(client):
    assert client.get("/no-such-page/page/2/").status_code == 404
    assert client.get("/no-such-page/feed/").status_code == 404
