"""Static pages at /<slug>/: published only, Markdown sanitised, reserved slugs refused, footer links, preview and
revisions in the admin; the comment form and the comment emails link to the privacy page."""

import pytest
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.urls import reverse

from pages.models import Page
from tests.comment_factories import CommentFactory, post_comment
from tests.factories import ArticleFactory, PageFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_published_page_is_served_at_its_slug(client):
    page = PageFactory(title="About us", slug="about", body="We **report** the news.")

    response = client.get("/about/")

    assert page.get_absolute_url() == "/about/"
    assert response.status_code == 200
    assert "<h1>About us</h1>" in response.content.decode()
    assert "We <strong>report</strong> the news." in response.content.decode()


def test_draft_page_is_404(client):
    PageFactory(slug="coming-soon", status=Page.Status.DRAFT)

    assert client.get("/coming-soon/").status_code == 404


def test_page_body_is_sanitised_like_articles(client):
    PageFactory(slug="hostile", body='<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror="a()">')

    content = client.get("/hostile/").content.decode()

    assert "<script>alert" not in content
    assert "javascript:" not in content
    assert "onerror" not in content


@pytest.mark.parametrize("slug", ["admin", "articles", "authors", "comments", "feed", "search", "category", "tag"])
def test_slugs_used_by_the_site_are_refused(slug):
    with pytest.raises(ValidationError, match="used by another part of the site"):
        Page(title="Clash", slug=slug, body="x").full_clean()


def test_footer_links_the_pages_in_menu_order(client):
    PageFactory(title="Privacy", slug="privacy", menu_order=2)
    PageFactory(title="About us", slug="about", menu_order=1)
    PageFactory(title="Not linked", slug="hidden", menu_order=None)
    PageFactory(title="Draft", slug="draft", menu_order=3, status=Page.Status.DRAFT)

    footer = client.get(reverse("blog:home")).content.decode().split('<footer class="site-footer">', 1)[1]

    assert '<li><a href="/about/">About us</a></li><li><a href="/privacy/">Privacy</a></li>' in footer
    assert "Not linked" not in footer
    assert "Draft" not in footer


def test_seed_privacy_and_about_pages_are_generic_and_linked(client, site_content):
    privacy = Page.objects.get(slug="privacy")

    footer = client.get(reverse("blog:home")).content.decode().split('<footer class="site-footer">', 1)[1]

    assert Page.objects.get(slug="about").is_published()
    assert "editors replace this text" in privacy.body
    assert '<a href="/about/">About us</a>' in footer
    assert '<a href="/privacy/">Privacy</a>' in footer


def test_comment_forms_remember_box_links_to_the_privacy_page(client, site_content):
    content = client.get(site_content.get_absolute_url()).content.decode()

    assert 'aria-describedby="id_remember_helptext"' in content
    assert 'See our <a href="/privacy/">privacy page</a>.' in content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reply_notification_links_to_the_privacy_page(
    client, article, comments_publish_at_once, tasks_run_at_once, mailoutbox
):
    parent = CommentFactory(article=article, user_email="grace@example.com", followup=True)

    post_comment(client, article, replying_to=parent, comment="Replying to Grace.")

    assert len(mailoutbox) == 1
    privacy_url = f"http://{Site.objects.get_current().domain}/privacy/"
    assert f"How this site uses your name and email: {privacy_url}" in mailoutbox[0].body


def test_admin_preview_shows_unsaved_page_text(editor_client):
    page = PageFactory(title="About us", slug="about", body="Old text.")
    data = form_data(editor_client.get(reverse("admin:pages_page_change", args=[page.pk])), "page_form")
    data["body"] = "New *text*."

    response = editor_client.post(reverse("admin:pages_page_preview", args=[page.pk]), data)

    assert response.status_code == 200
    assert "New <em>text</em>." in response.content.decode()
    assert "Preview: nothing is saved yet" in response.content.decode()
    page.refresh_from_db()
    assert page.body == "Old text."


def test_page_edits_are_kept_as_revisions(editor_client):
    page = PageFactory(body="First.")
    data = form_data(editor_client.get(reverse("admin:pages_page_change", args=[page.pk])), "page_form")
    data["body"] = "Second."
    editor_client.post(reverse("admin:pages_page_change", args=[page.pk]), data)

    assert [entry.body for entry in page.history.all()] == ["Second.", "First."]
    history = editor_client.get(reverse("admin:pages_page_history", args=[page.pk]))
    assert history.status_code == 200


def test_pages_do_not_hide_articles_or_other_urls(client):
    article = ArticleFactory(slug="about")
    PageFactory(slug="about")

    assert client.get(article.get_absolute_url()).context["article"] == article
    assert client.get(reverse("blog:search")).status_code == 200
