"""`manage.py import_wordpress`: a WordPress export (tests/data/wordpress/) comes across whole, and again safely."""

import contextlib
import datetime
import functools
import http.server
import io
import shutil
import threading
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from django_comments_xtd.models import XtdComment
from PIL import Image as PILImage

from authors.models import Author
from blog.models import Article, Category, Tag
from comments.totals import recount_comments
from images.models import Image
from pages.models import Page
from tests.conftest import SEED_SLUG
from tests.factories import UserFactory
from wordpress.models import ImportedObject

DATA = Path(__file__).parent.parent / "data" / "wordpress"
EXPORT = DATA / "export.xml"
NEWER = DATA / "export-newer.xml"
BAN_SLUG = "why-xiaomi-smartphones-banned-in-pakistan"

# Each post is imported in its own transaction, so the tests commit for real; like the suite's other transactional
# tests they start from the database's serialized contents (Site, content types), whatever ran before them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def uploads(tmp_path):
    """A local copy of the old site's wp-content/uploads, holding the two attachments the export names."""
    root = tmp_path / "uploads"
    (root / "2016" / "08").mkdir(parents=True)
    PILImage.new("RGB", (800, 533), "#336699").save(root / "2016" / "08" / "xiaomi-phone.jpg", "JPEG")
    PILImage.new("RGB", (300, 300), "#993333").save(root / "2016" / "08" / "pta-logo.png", "PNG")
    return root


def run(export=EXPORT, *options):
    out = io.StringIO()
    call_command("import_wordpress", str(export), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    """Everything the importer may write, as comparable values."""
    return {
        "articles": sorted(Article.objects.values_list("slug", "title", "body", "version")),
        "pages": sorted(Page.objects.values_list("slug", "body")),
        "authors": sorted(Author.objects.values_list("slug", "bio")),
        "categories": sorted(Category.objects.values_list("path", flat=True)),
        "tags": sorted(Tag.objects.values_list("slug", flat=True)),
        "comments": sorted(XtdComment.norel_objects.values_list("comment", "is_public", "is_removed")),
        "redirects": sorted(Redirect.objects.values_list("old_path", "new_path")),
        "images": Image.objects.count(),
        "records": ImportedObject.objects.count(),
    }


def imported(kind, wp_id, model):
    record = ImportedObject.objects.get(kind=kind, wp_id=wp_id)
    return model._default_manager.get(pk=record.object_id)


def comments_of(article):
    content_type = ContentType.objects.get_for_model(Article)
    return XtdComment.norel_objects.filter(content_type=content_type, object_pk=str(article.pk))


# --- a first import ---------------------------------------------------------------------------------------------


def test_authors_come_across_and_those_without_a_bio_are_reported():
    report = run()
    names = set(Author.objects.values_list("name", flat=True))
    assert {"Alison Johnson", "بلال احمد"} <= names
    assert imported("author", 3, Author).slug == "bilal-ahmed"
    assert "authors without a bio" in report
    assert "bilal.ahmed" in report


def test_an_author_map_gives_bios_and_maps_logins_to_existing_authors(tmp_path):
    existing = Author.objects.create(name="Bilal A.", slug="bilal-a")
    author_map = tmp_path / "authors.csv"
    author_map.write_text("login,author,name,bio\nbilal.ahmed,bilal-a,,\nalison,,Alison Johnson,Reports on phones.\n")
    run(EXPORT, "--author-map", str(author_map))
    assert imported("post", 102, Article).author == existing
    assert Author.objects.get(name="Alison Johnson").bio == "Reports on phones."


def test_link_accounts_links_authors_to_the_accounts_with_the_same_email():
    alison = UserFactory(username="alison", email="Alison@News.example.org", is_staff=True)
    UserFactory(username="someone", email="someone@news.example.org")

    report = run(EXPORT, "--link-accounts")

    assert Author.objects.get(name="Alison Johnson").user == alison
    assert imported("author", 3, Author).user is None  # No account has Bilal's email.
    assert "account links: made 1, skipped 1" in report


def test_without_link_accounts_no_author_is_linked_to_an_account():
    UserFactory(username="alison", email="alison@news.example.org")

    run()

    assert not Author.objects.filter(user__isnull=False).exists()


def test_link_accounts_leaves_an_account_that_writes_as_another_author():
    alison = UserFactory(username="alison", email="alison@news.example.org")
    Author.objects.create(name="Alison J.", slug="alison-j", user=alison)

    run(EXPORT, "--link-accounts")

    assert Author.objects.get(name="Alison Johnson").user is None


def test_categories_keep_their_hierarchy_and_tags_come_across():
    run()
    assert Category.objects.get(slug="mobile").parent == Category.objects.get(slug="news")
    assert {"xiaomi", "pta", "pakistan"} <= set(Tag.objects.values_list("slug", flat=True))


def test_categories_and_tags_keep_their_descriptions():
    run()
    assert Category.objects.get(slug="news").description == "What happened, as it happened."
    assert Tag.objects.get(slug="pakistan").description == "Stories from Pakistan"
    assert Tag.objects.get(slug="xiaomi").description == ""


def test_a_post_keeps_its_slug_title_excerpt_dates_author_terms_and_featured_image(uploads):
    run(EXPORT, "--media-from", str(uploads))
    article = Article.objects.get(slug=BAN_SLUG)
    assert article.title == "Why Xiaomi Smartphones Banned in Pakistan?"
    assert article.summary == "Some Xiaomi phones can no longer be sold in Pakistan."
    assert article.published_at == datetime.datetime(2016, 8, 4, 9, 30, tzinfo=datetime.UTC)
    assert article.status == Article.Status.PUBLISHED
    assert article.author.name == "Alison Johnson"
    assert set(article.categories.values_list("slug", flat=True)) == {"news", "mobile"}
    assert set(article.tags.values_list("slug", flat=True)) == {"xiaomi", "pta", "pakistan"}
    assert article.featured_image.alt_text
    assert article.featured_image.width == 800


def test_last_updated_on_is_the_modified_date_with_a_second_history_entry_only_when_it_differs():
    run()
    ban = Article.objects.get(slug=BAN_SLUG)
    assert ban.last_updated_on == datetime.date(2016, 8, 5)
    assert [(entry.date, entry.note) for entry in ban.updates.order_by("date")] == [
        (datetime.date(2016, 8, 4), ""),
        (datetime.date(2016, 8, 5), "Imported from WordPress"),
    ]
    unchanged = imported("post", 102, Article)
    assert [(entry.date, entry.note) for entry in unchanged.updates.all()] == [(datetime.date(2016, 7, 20), "")]


def test_statuses_map_scheduled_drafts_private_and_trash():
    report = run()
    scheduled = imported("post", 104, Article)
    assert scheduled.status == Article.Status.PUBLISHED
    assert scheduled.published_at == datetime.datetime(2027, 1, 15, 3, 0, tzinfo=datetime.UTC)
    assert imported("post", 105, Article).status == Article.Status.DRAFT
    assert imported("post", 106, Article).status == Article.Status.DRAFT
    assert not ImportedObject.objects.filter(wp_id=107).exists()
    assert "in the WordPress trash" in report


def test_a_page_becomes_a_static_page():
    run()
    page = Page.objects.get(slug="about-us")
    assert page.status == Page.Status.PUBLISHED
    assert 'href="mailto:desk@news.example.org"' in page.body_html


def test_bodies_are_converted_and_sanitised_with_internal_links_rewritten(uploads):
    report = run(EXPORT, "--media-from", str(uploads))
    ban = Article.objects.get(slug=BAN_SLUG)
    registration = imported("post", 102, Article)
    assert "<strong>Pakistan Telecommunication Authority</strong>" in ban.body_html
    assert "<h2>What the PTA said</h2>" in ban.body_html
    assert f'href="{registration.get_absolute_url()}"' in ban.body_html
    assert f'href="{imported("post", 104, Article).get_absolute_url()}"' in ban.body_html
    assert f'href="{ban.get_absolute_url()}"' in registration.body_html
    assert "<h3>Who has to register</h3>" in registration.body_html
    assert "wp:" not in registration.body
    assert "[gallery" not in ban.body_html
    assert "shortcodes hidden" not in report


def test_inline_images_become_library_references_with_alt_text_and_caption(uploads):
    report = run(EXPORT, "--media-from", str(uploads))
    ban = Article.objects.get(slug=BAN_SLUG)
    assert "news.example.org/wp-content" not in ban.body
    phone, logo = imported("attachment", 10, Image), imported("attachment", 12, Image)
    assert phone.reference() in ban.body
    assert logo.reference() in ban.body
    assert set(ban.inline_images.all()) == {phone, logo}
    assert "Redmi Note 3" in phone.caption
    assert logo.alt_text == "The PTA’s logo"
    assert Image.objects.count() == 2
    assert "media fetched: 2, missing: 0" in report


def test_a_missing_media_file_is_reported_and_the_post_still_imported(uploads):
    (uploads / "2016" / "08" / "pta-logo.png").unlink()
    report = run(EXPORT, "--media-from", str(uploads))
    assert "missing: 1" in report
    assert "pta-logo" in report
    assert Article.objects.filter(slug=BAN_SLUG).exists()


@contextlib.contextmanager
def old_site_serving(uploads, tmp_path):
    """The old WordPress site's wp-content/uploads over HTTP on 127.0.0.1; yields its address."""
    site = tmp_path / "site"
    shutil.copytree(uploads, site / "wp-content" / "uploads")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def test_media_is_fetched_over_http_from_the_old_site(uploads, tmp_path):
    with old_site_serving(uploads, tmp_path) as address:
        report = run(EXPORT, "--media-from", address)
    assert "media fetched: 2, missing: 0" in report
    assert Article.objects.get(slug=BAN_SLUG).featured_image is not None


def test_media_over_the_size_limit_is_not_fetched_over_http(uploads, tmp_path, settings):
    settings.IMAGE_LIBRARY_MAX_BYTES = 2000
    with old_site_serving(uploads, tmp_path) as address:
        report = run(EXPORT, "--media-from", address)
    assert "larger than" in report
    assert Image.objects.count() < 2
    assert Article.objects.filter(slug=BAN_SLUG).exists()


def test_comments_keep_their_threads_statuses_people_and_dates():
    run()
    ban = Article.objects.get(slug=BAN_SLUG)
    comments = {comment.comment[:40]: comment for comment in comments_of(ban)}
    assert len(comments) == 8  # 10 in the file: the trashed one and the pingback are left out
    public = comments_of(ban).filter(is_public=True, is_removed=False)
    assert public.count() == 6
    assert comments_of(ban).filter(is_public=False, is_removed=False).count() == 1  # held
    assert comments_of(ban).filter(is_public=False, is_removed=True).count() == 1  # spam
    assert max(comments_of(ban).values_list("level", flat=True)) == 2  # the site's reply depth
    first = comments_of(ban).order_by("submit_date").first()
    assert first.level == 0
    assert first.thread_id == first.pk
    assert first.ip_address
    assert ban.__class__.objects.get(pk=ban.pk).comment_count == 6


def test_a_registered_authors_comment_carries_the_authors_name():
    run()
    ban = Article.objects.get(slug=BAN_SLUG)
    assert comments_of(ban).filter(user_name="Alison Johnson", user_email="alison@news.example.org").exists()


def test_pingbacks_are_stored_hidden_when_asked():
    report = run(EXPORT, "--pingbacks", "store")
    ban = Article.objects.get(slug=BAN_SLUG)
    assert comments_of(ban).count() == 9
    assert "pingback stored hidden 1" in report
    assert Article.objects.get(pk=ban.pk).comment_count == 6


def test_the_imported_article_page_shows_its_threaded_comments(client):
    run()
    response = client.get(Article.objects.get(slug=BAN_SLUG).get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Why Xiaomi Smartphones Banned in Pakistan?" in page
    assert 'class="comment-body"' in page


def test_every_old_permalink_answers_301_to_a_page_that_answers_200(client):
    run()
    old_paths = [
        "/2016/08/04/why-xiaomi-smartphones-banned-in-pakistan/",
        "/2016/08/04/xiaomi-phones-banned/",
        "/2016/08/04/xiaomi-banned-in-pakistan/",
        "/2016/07/20/pta-registration-explained/",
        "/2016/08/04/why-xiaomi-smartphones-banned-in-pakistan/feed/",
    ]
    redirects = set(Redirect.objects.values_list("old_path", flat=True))
    assert set(old_paths) <= redirects
    for path in sorted(redirects):
        response = client.get(path)
        assert response.status_code == 301, path
        followed = client.get(path, follow=True)
        assert followed.status_code == 200, (path, followed.redirect_chain)


# --- again, and a newer export -----------------------------------------------------------------------------


def test_the_same_file_twice_changes_nothing(uploads):
    run(EXPORT, "--media-from", str(uploads))
    before = snapshot()
    report = run(EXPORT, "--media-from", str(uploads))
    assert snapshot() == before
    assert "posts: skipped 1, unchanged 5" in report
    assert "redirects made: 0" in report


def test_a_newer_export_updates_the_edited_post_and_adds_the_new_comment():
    run()
    ban = Article.objects.get(slug=BAN_SLUG)
    count = comments_of(ban).count()
    run(NEWER)
    ban.refresh_from_db()
    assert "Xiaomi disputes this" in ban.body_html
    assert ban.last_updated_on == datetime.date(2016, 8, 10)
    assert comments_of(ban).count() == count + 1
    reply = comments_of(ban).get(comment__startswith="Update: Xiaomi")
    parent = comments_of(ban).get(pk=reply.parent_id)
    assert parent.level == 0
    assert reply.level == 1
    assert reply.thread_id == parent.thread_id
    assert Article.objects.filter(title=ban.title).count() == 1


def test_a_post_an_editor_changed_is_reported_not_overwritten():
    run()
    ban = Article.objects.get(slug=BAN_SLUG)
    ban.title = "An editor's better title"
    ban.save()
    report = run(NEWER)
    ban.refresh_from_db()
    assert ban.title == "An editor's better title"
    assert "Xiaomi disputes this" not in ban.body
    assert "changed by an editor" in report
    assert comments_of(ban).filter(comment__startswith="Update: Xiaomi").exists()


def test_a_post_an_editor_deleted_is_not_recreated():
    run()
    Article.objects.get(slug=BAN_SLUG).delete()
    report = run(NEWER)
    assert not Article.objects.filter(title="Why Xiaomi Smartphones Banned in Pakistan?").exists()
    assert "deleted by an editor" in report


# --- bad input, dry runs and conflicts -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["export-truncated.xml", "not-wxr-feed.xml"])
def test_a_broken_or_foreign_file_is_refused_and_nothing_changes(name):
    before = snapshot()
    with pytest.raises(CommandError, match="cannot be imported"):
        run(DATA / name)
    assert snapshot() == before


def test_a_dry_run_reports_and_changes_nothing(uploads):
    before = snapshot()
    report = run(EXPORT, "--dry-run", "--media-from", str(uploads))
    assert snapshot() == before
    assert "Dry run" in report
    assert "posts: created 5" in report


def test_the_seed_article_is_kept_and_the_wordpress_post_imported_beside_it_by_default(site_content):
    seed_body = site_content.body
    report = run()
    site_content.refresh_from_db()
    assert site_content.body == seed_body
    renamed = imported("post", 101, Article)
    assert renamed.slug == f"{SEED_SLUG}-2"
    assert comments_of(renamed).count() == 8
    assert Redirect.objects.get(old_path="/2016/08/04/xiaomi-phones-banned/").new_path == renamed.get_absolute_url()
    assert "conflict" in report
    assert SEED_SLUG in report


def test_on_conflict_skip_leaves_the_wordpress_post_out(site_content):
    report = run(EXPORT, "--on-conflict", "skip")
    assert not ImportedObject.objects.filter(kind="post", wp_id=101).exists()
    assert Article.objects.filter(title=site_content.title).count() == 1
    assert "not imported" in report


def test_on_conflict_replace_unedited_imports_into_the_untouched_seed(site_content):
    run(EXPORT, "--on-conflict", "replace-unedited")
    assert imported("post", 101, Article).pk == site_content.pk
    site_content.refresh_from_db()
    assert "Pakistan Telecommunication Authority" in site_content.body
    assert comments_of(site_content).count() == 8


def test_on_conflict_replace_unedited_keeps_a_seed_an_editor_changed(site_content):
    site_content.summary = "Edited by hand."
    site_content.save()
    run(EXPORT, "--on-conflict", "replace-unedited")
    site_content.refresh_from_db()
    assert site_content.summary == "Edited by hand."
    assert imported("post", 101, Article).slug == f"{SEED_SLUG}-2"


def test_a_malformed_item_is_reported_and_skipped_and_the_rest_imported(tmp_path):
    broken = tmp_path / "export.xml"
    text = EXPORT.read_text(encoding="utf-8")
    broken.write_text(text.replace("<wp:post_id>102</wp:post_id>", "<wp:post_id>one-o-two</wp:post_id>"))
    report = run(broken)
    assert "skipped" in report
    assert "one-o-two" in report
    assert Article.objects.filter(slug=BAN_SLUG).exists()
    assert not Article.objects.filter(title="Pakistan’s phone registration: what changed").exists()


def test_stored_comment_totals_match_a_recount():
    run()
    for article in Article.objects.all():
        stored = (article.comment_count, article.comment_thread_count)
        recount_comments(article.pk)
        article.refresh_from_db()
        assert (article.comment_count, article.comment_thread_count) == stored


def test_local_dates_without_a_gmt_date_are_read_in_the_given_timezone(tmp_path):
    export = tmp_path / "export.xml"
    text = EXPORT.read_text(encoding="utf-8")
    gmt = "<wp:post_date_gmt><![CDATA[2016-07-20 06:00:00]]></wp:post_date_gmt>"
    export.write_text(text.replace(gmt, "<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>"))
    run(export, "--timezone", "Asia/Karachi")
    published = imported("post", 102, Article).published_at
    assert published == datetime.datetime(2016, 7, 20, 6, 0, tzinfo=datetime.UTC)  # 11:00 in Karachi (UTC+5)


def test_a_tag_an_editor_deleted_is_not_recreated():
    run()
    Tag.objects.get(slug="pakistan").delete()
    report = run(NEWER)
    assert not Tag.objects.filter(slug="pakistan").exists()
    assert "deleted by an editor" in report
