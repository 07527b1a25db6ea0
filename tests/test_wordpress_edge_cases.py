"""WordPress's edge cases (as in its theme unit test and block test data) imported, then read as readers do."""

import io

import pytest
from django.core.management import call_command

from blog.models import Article
from pages.models import Page
from wordpress.models import ImportedObject

from .wordpress_export import wp_comment, wp_item, write_edge_export

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECRET = "This content, comments, pingbacks, and trackbacks should not be visible until the password is entered."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(path, *options):
    out = io.StringIO()
    call_command("import_wordpress", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def imported(kind, wp_id, model):
    record = ImportedObject.objects.get(kind=kind, wp_id=wp_id)
    return model._default_manager.get(pk=record.object_id)


# --- 1. Protected and private stay protected ---------------------------------------------------------------------


@pytest.fixture
def protected_export(tmp_path):
    return write_edge_export(
        tmp_path / "protected.xml",
        [
            wp_item(
                1168,
                "Template: Password Protected",
                slug="template-password-protected",
                content=SECRET,
                excerpt="Protected excerpt: the lock code is 1234.",
                password="enter",
                comments=[wp_comment(31, "A comment behind the password.")],
            ),
            wp_item(1169, "Private notes", slug="private-notes", status="private", content="Only for the editors."),
            wp_item(
                1170,
                "Members page",
                slug="members",
                post_type="page",
                content="The members' door code is 4321.",
                password="enter",
            ),
            wp_item(1171, "A public post", slug="a-public-post", content="Everyone may read this."),
        ],
    )


def test_a_password_protected_post_or_page_is_imported_as_a_draft_and_reported(protected_export):
    report = run(protected_export)
    assert imported("post", 1168, Article).status == Article.Status.DRAFT
    assert imported("page", 1170, Page).status == Page.Status.DRAFT
    assert imported("post", 1169, Article).status == Article.Status.DRAFT
    assert imported("post", 1171, Article).status == Article.Status.PUBLISHED
    assert "password-protected, imported as drafts: 2" in report
    assert "Template: Password Protected" in report
    assert "Members page" in report
    assert "private, imported as drafts: 1" in report


def test_protected_text_is_on_no_public_url_feed_or_search(client, protected_export):
    run(protected_export)
    article = imported("post", 1168, Article)
    paths = [
        "/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/search/?q=password",
        "/search/?q=visible",
        "/search/?q=door",
        article.get_absolute_url(),
        f"{article.get_absolute_url()}comments/feed/",
        "/2016/09/01/template-password-protected/",
        "/2016/09/01/template-password-protected/feed/",
        "/members/",
        "/?p=1168",
        "/?page_id=1170",
    ]
    for path in paths:
        response = client.get(path, follow=True)
        text = response.content.decode()
        for secret in (SECRET, "lock code", "door code", "behind the password", "Only for the editors"):
            assert secret not in text, path
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get("/2016/09/01/template-password-protected/").status_code == 404
