"""The article form's categories and tags: autocomplete, and tags created on the fly."""

import pytest
from django.urls import reverse

from blog.models import Article, Tag
from tests.factories import AuthorFactory, CategoryFactory, TagFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def change(editor_client, article, **fields):
    url = reverse("admin:blog_article_change", args=[article.pk])
    data = form_data(editor_client.get(url), "article_form")
    data.update(fields)
    return editor_client.post(url, data)


def test_article_form_edits_categories_and_tags_with_autocomplete(editor_client, site_content):
    content = editor_client.get(reverse("admin:blog_article_change", args=[site_content.pk])).content.decode()

    assert 'name="categories"' in content
    assert 'data-creates-tags="new:"' in content
    assert "admin-autocomplete" in content
    assert "blog/admin/tag_autocomplete" in content


def test_editor_files_an_article_under_categories_and_existing_tags(editor_client, site_content):
    category, tag = CategoryFactory(), TagFactory()

    response = change(editor_client, site_content, categories=[str(category.pk)], tags=[str(tag.pk)])

    assert response.status_code == 302
    assert list(site_content.categories.all()) == [category]
    assert list(site_content.tags.all()) == [tag]


def test_typed_tag_names_are_created_on_save(editor_client, site_content):
    pta = Tag.objects.get(slug="pta")

    response = change(editor_client, site_content, tags=[str(pta.pk), "new:Type approval", "new:pta"])

    assert response.status_code == 302
    assert sorted(site_content.tags.values_list("name", flat=True)) == ["PTA", "Type approval"]
    assert Tag.objects.get(name="Type approval").slug == "type-approval"


def test_a_refused_form_keeps_the_new_tag_typed_and_creates_no_tag(editor_client, site_content):
    response = change(editor_client, site_content, title="", tags=["new:Censorship"])

    assert response.status_code == 200
    assert '<option value="new:Censorship" selected>Censorship</option>' in response.content.decode()
    assert not Tag.objects.filter(name="Censorship").exists()


def test_a_refused_form_shows_a_typed_name_of_an_existing_tag_as_that_tag(editor_client, site_content):
    pta = Tag.objects.get(slug="pta")

    response = change(editor_client, site_content, title="", tags=["new:pta"])

    assert f'<option value="{pta.pk}" selected>PTA</option>' in response.content.decode()


def test_the_new_tag_kept_by_a_refused_form_is_created_when_it_is_saved(editor_client, site_content):
    refused = change(editor_client, site_content, title="", tags=["new:Censorship"])
    data = form_data(refused, "article_form")
    data["title"] = "A title again"

    response = editor_client.post(reverse("admin:blog_article_change", args=[site_content.pk]), data)

    assert response.status_code == 302
    assert list(site_content.tags.values_list("name", flat=True)) == ["Censorship"]


def test_a_tampered_tag_or_category_id_is_refused_not_a_500(editor_client, site_content):
    response = change(editor_client, site_content, categories=["x'"], tags=["999999"])

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_tag_names_get_free_slugs():
    TagFactory(name="Phones", slug="phones")

    assert Tag.for_name("phones").slug == "phones"  # Same name in another case: the same tag.
    assert Tag.for_name("Phones!").slug == "phones-2"
    assert Tag.for_name("???").slug == "tag"


def test_category_admin_lists_paths_and_counts(editor_client, site_content):
    content = editor_client.get(reverse("admin:blog_category_changelist")).content.decode()

    assert "News" in content
    assert "Mobile" in content


def test_new_article_with_tags_and_categories(editor_client):
    category = CategoryFactory()
    author = AuthorFactory()
    data = form_data(editor_client.get(reverse("admin:blog_article_add")), "article_form")
    data.update(
        title="Fresh", slug="fresh", author=str(author.pk), body="Text.", categories=[str(category.pk)], tags=["new:Z"]
    )

    response = editor_client.post(reverse("admin:blog_article_add"), data)

    assert response.status_code == 302
    article = Article.objects.get(slug="fresh")
    assert list(article.categories.all()) == [category]
    assert list(article.tags.values_list("name", flat=True)) == ["Z"]
