"""WordPress's edge cases (as in its theme unit test and block test data) imported, then read as readers do."""

import html
import http.server
import io
import threading
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_comments_xtd.models import XtdComment
from PIL import Image as PILImage

from blog.models import Article
from images.models import Image
from pages.models import Page
from tests.wordpress_export import EDGE_SITE, wp_comment, wp_item, write_edge_export
from wordpress import media, permalinks, wxr
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXPORT = Path(__file__).parent.parent / "data" / "wordpress" / "export.xml"
SECRET = "This content, comments, pingbacks, and trackbacks should not be visible until the password is entered."


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


# --- 2. Fetch only what was asked for ----------------------------------------------------------------------------


class OldSite:
    """An HTTP server on 127.0.0.1 serving ``files`` (path → bytes) and ``redirects`` (path → Location), recording
    every path asked of it."""

    def __init__(self, files=None, redirects=None):
        self.files, self.redirects, self.asked = dict(files or {}), dict(redirects or {}), []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                site.asked.append(self.path)
                if self.path in site.redirects:
                    self.send_response(302)
                    self.send_header("Location", site.redirects[self.path])
                    self.end_headers()
                elif self.path in site.files:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(site.files[self.path])))
                    self.end_headers()
                    self.wfile.write(site.files[self.path])
                else:
                    self.send_error(404)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def jpeg_bytes(colour="#336699"):
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


def post_with_featured_image(attachment_url, *, attached_file="2016/09/photo.jpg", post_id=500):
    """A post whose featured image is the attachment at ``attachment_url``."""
    return [
        wp_item(
            post_id + 1,
            "photo",
            slug=f"photo-{post_id}",
            post_type="attachment",
            status="inherit",
            parent=post_id,
            attachment_url=attachment_url,
            meta=[("_wp_attached_file", attached_file)],
        ),
        wp_item(
            post_id,
            f"A post with a photo ({post_id})",
            slug=f"a-post-with-a-photo-{post_id}",
            content="Words.",
            meta=[("_thumbnail_id", str(post_id + 1))],
        ),
    ]


@pytest.mark.parametrize("inner", ["http://{trap}/wp-content/uploads/x.jpg", "file:///etc/passwd.jpg"])
def test_an_attachment_path_that_is_itself_a_url_is_only_asked_of_the_old_site(tmp_path, inner):
    with OldSite() as trap, OldSite() as old:
        inner = inner.format(trap=trap.address.removeprefix("http://"))
        export = write_edge_export(tmp_path / "export.xml", post_with_featured_image(f"{EDGE_SITE}/{inner}"))
        report = run(export, "--media-from", old.address)
    assert trap.asked == []
    assert len(old.asked) == 1
    assert old.asked[0].startswith("/" + inner.split("://")[0] + ":")
    assert "missing: 1" in report
    assert Image.objects.count() == 0


def test_a_redirect_is_followed_on_the_old_site_only(tmp_path):
    photo = "/wp-content/uploads/2016/09/photo.jpg"
    with OldSite(files={"/x.jpg": jpeg_bytes()}) as trap:
        elsewhere = f"http://localhost:{trap.server.server_port}/x.jpg"
        with OldSite(files={"/moved.jpg": jpeg_bytes()}, redirects={photo: "/moved.jpg"}) as old:
            export = write_edge_export(tmp_path / "same.xml", post_with_featured_image(EDGE_SITE + photo))
            report = run(export, "--media-from", old.address)
            assert "media fetched: 1, missing: 0" in report
            old.redirects[photo] = elsewhere
            other = write_edge_export(tmp_path / "other.xml", post_with_featured_image(EDGE_SITE + photo, post_id=600))
            report = run(other, "--media-from", old.address)
    assert trap.asked == []
    assert "not followed" in report


def test_a_host_that_turns_private_is_refused_unless_the_base_is_private():
    source = media.HttpSource("http://old-site.test", max_bytes=1000)
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    source.resolve = lambda host, port: next(answers)
    assert source._address() == "93.184.216.34"
    with pytest.raises(media.MediaRefused, match=r"private address 127\.0\.0\.1"):
        source.read(f"{EDGE_SITE}/wp-content/uploads/a.jpg")
    intranet = media.HttpSource("http://old-site.lan", max_bytes=1000)
    intranet.resolve = lambda host, port: ["10.1.2.3"]
    assert intranet._address() == "10.1.2.3"


@pytest.mark.parametrize("base", ["file:///srv/uploads", "ftp://old.example/uploads"])
def test_media_from_other_schemes_is_refused(tmp_path, base):
    export = write_edge_export(tmp_path / "export.xml", post_with_featured_image(f"{EDGE_SITE}/a.jpg"))
    with pytest.raises(CommandError, match="http"):
        run(export, "--media-from", base)
    assert not Article.objects.exists()


def test_local_media_is_read_only_under_the_given_folder(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2016").mkdir(parents=True)
    (tmp_path / "outside.jpg").write_bytes(jpeg_bytes())
    (uploads / "2016" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    items = post_with_featured_image("https://cdn.example.net/outside.jpg", attached_file="../outside.jpg")
    report = run(write_edge_export(tmp_path / "a.xml", items), "--media-from", str(uploads))
    assert "outside the media folder" in report
    linked = post_with_featured_image(f"{EDGE_SITE}/wp-content/uploads/2016/link.jpg")
    report = run(write_edge_export(tmp_path / "b.xml", linked), "--media-from", str(uploads))
    assert "outside the media folder" in report
    assert Image.objects.count() == 0


def test_a_dry_run_fetches_nothing(tmp_path):
    photo = "/wp-content/uploads/2016/09/photo.jpg"
    with OldSite(files={photo: jpeg_bytes()}) as old:
        export = write_edge_export(tmp_path / "export.xml", post_with_featured_image(EDGE_SITE + photo))
        report = run(export, "--dry-run", "--media-from", old.address)
    assert old.asked == []
    assert "media to fetch (not fetched in a dry run): 1" in report


def test_commits_are_relaxed_per_transaction_never_for_the_session(tmp_path):
    export = write_edge_export(tmp_path / "export.xml", [wp_item(1, "One", slug="one", content="Text.")])
    with CaptureQueriesContext(connection) as queries:
        run(export)
    statements = [query["sql"] for query in queries.captured_queries if "synchronous_commit" in query["sql"]]
    assert statements == ["SET LOCAL synchronous_commit TO OFF"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


# --- 3. Every old link lands ---------------------------------------------------------------------------------------

GREEK = quote("επίπεδο-2").lower()  # as WordPress stores a non-Latin slug: percent-encoded UTF-8, lower case
URDU = quote("پاکستان-کی-خبریں").lower()
QUERIES = {
    "": {},
    "?utm_source=newsletter&utm_medium=email&fbclid=IwAR0abc": {
        "utm_source": ["newsletter"],
        "utm_medium": ["email"],
        "fbclid": ["IwAR0abc"],
    },
    "?cpage=1": {"cpage": ["1"]},
    "?unapproved=31&moderation-hash=0123abcd": {},
    "?replytocom=31": {},
}


@pytest.fixture
def links_export(tmp_path):
    return write_edge_export(
        tmp_path / "links.xml",
        [
            wp_item(
                605,
                "photo",
                slug="photo-605",
                post_type="attachment",
                status="inherit",
                parent=601,
                link=f"{EDGE_SITE}/2016/09/01/hello-world/photo-605/",
                attachment_url=f"{EDGE_SITE}/wp-content/uploads/2016/09/photo-605.jpg",
            ),
            wp_item(601, "Hello world", slug="hello-world", content="Hi.", meta=[("_wp_old_slug", "hello-old")]),
            wp_item(602, "Επίπεδο 2", slug=GREEK, content="Γεια."),
            wp_item(603, "پاکستان کی خبریں", slug=URDU, post_type="page", content="خبریں"),
            wp_item(604, "Page with comments", slug="page-with-comments", post_type="page", content="Talk."),
            wp_item(607, "Level 1", slug="level-1", post_type="page", content="One."),
            wp_item(
                608,
                "Level 2",
                slug="level-2",
                post_type="page",
                parent=607,
                link=f"{EDGE_SITE}/level-1/level-2/",
                content="Two.",
            ),
        ],
    )


def old_addresses(export_path):
    """Every address the old site answered for a published item of the export, its categories holding one (and
    their first page) and the authors who wrote one, with the title the page shows (None for feeds)."""
    export = wxr.parse(export_path)
    addresses = []
    public = {
        item.post_id: item
        for item in export.items
        if item.post_type in ("post", "page") and item.status == "publish" and not item.post_password
    }
    for item in export.items:
        if item.post_type == "attachment" and item.post_parent in public:
            title = public[item.post_parent].title
            addresses += [(path, title) for path in (item.link_path, *permalinks.plain_paths(item))]
        if item.post_id not in public:
            continue
        paths = [item.link_path, *permalinks.old_slug_paths(item), *permalinks.plain_paths(item)]
        addresses += [(path, item.title) for path in paths]
        if item.post_type == "post":
            addresses.append((permalinks.feed_path(item.link_path), None))
    used = {term.slug for item in public.values() for term in item.categories}
    for category in (each for each in export.categories if each.slug in used):
        path = permalinks.category_path(category, export.categories)
        addresses += [(path, category.name), (permalinks.feed_path(path), None), (f"{path}page/1/", category.name)]
    writers = {item.creator for item in public.values() if item.post_type == "post"}
    for author in (each for each in export.authors if each.login in writers):
        path = permalinks.author_path(author.login)
        addresses += [(path, author.display_name), (permalinks.feed_path(path), None)]
    return addresses


def crawl(client, addresses):
    """Each old address, with each query: a 301 (or a 200 in place) to a page that shows its title, carrying the
    tracking and site parameters and dropping WordPress's own."""
    for path, title in addresses:
        for query, kept in QUERIES.items():
            address = path + ("&" + query[1:] if "?" in path and query else query)
            response = client.get(address)
            assert response.status_code in (200, 301), address
            followed = client.get(address, follow=True)
            assert followed.status_code == 200, (address, followed.redirect_chain)
            if response.status_code == 301:
                final = parse_qs(urlsplit(followed.redirect_chain[-1][0]).query)
                assert kept.items() <= final.items(), (address, final)
                assert not {"unapproved", "moderation-hash", "replytocom"} & final.keys(), (address, final)
            if title:
                assert html.escape(title, quote=False) in followed.content.decode(), address


def test_every_old_address_of_an_export_lands_with_and_without_a_query(client, links_export):
    run(links_export)
    addresses = old_addresses(links_export)
    paths = [path for path, _ in addresses]
    assert f"/2016/09/01/{GREEK}/" in paths
    assert f"/{URDU}/" in paths
    assert {"/?p=601", "/?page_id=603", "/?attachment_id=605", "/2016/09/01/hello-old/"} <= set(paths)
    crawl(client, addresses)


def test_every_old_address_of_the_sample_export_lands_with_and_without_a_query(client):
    run(EXPORT)
    crawl(client, old_addresses(EXPORT))


def test_non_latin_addresses_land_however_they_are_encoded(client, links_export):
    run(links_export)
    greek = "/2016/09/01/επίπεδο-2/"
    for address in (greek, quote(greek), quote(greek).lower()):
        assert client.get(address).status_code == 301, address


# --- 4. Threads as WordPress showed them ------------------------------------------------------------------------


def test_threads_read_as_wordpress_showed_them_whatever_the_file_order(client, tmp_path):
    at = datetime(2016, 9, 2)
    comments = [  # written in no particular order, as WordPress's exporter may
        wp_comment(44, "Fourth: a reply to the second.", parent=42, date=at.replace(hour=12), author="Dee"),
        wp_comment(42, "Second: a reply to the first.", parent=41, date=at.replace(hour=11), author="Bo"),
        wp_comment(43, "Third: a thread of its own.", date=at.replace(hour=13), author="Cy"),
        wp_comment(41, "First: the oldest thread.", date=at.replace(hour=10), author="Al"),
    ]
    export = write_edge_export(
        tmp_path / "threads.xml",
        [wp_item(700, "Comment test", slug="comment-test", content="Talk.", comments=comments)],
    )
    report = run(export)
    page = client.get(imported("post", 700, Article).get_absolute_url()).content.decode()
    shown = [page.index(text) for text in ("First:", "Second:", "Fourth:", "Third:")]
    assert shown == sorted(shown)
    levels = {
        comment.comment.split(":")[0]: comment.level
        for comment in XtdComment.norel_objects.filter(object_pk=str(imported("post", 700, Article).pk))
    }
    assert levels == {"First": 0, "Second": 1, "Fourth": 2, "Third": 0}
    assert "replies whose parent was not imported" not in report


# --- 5. Content looks as it did ----------------------------------------------------------------------------------


@pytest.fixture
def content_export(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2016" / "09").mkdir(parents=True)
    items = []
    for number, colour in ((801, "#aa3333"), (802, "#33aa33")):
        PILImage.new("RGB", (60, 40), colour).save(uploads / "2016" / "09" / f"tile-{number}.jpg", "JPEG")
        items.append(
            wp_item(
                number,
                f"tile-{number}",
                slug=f"tile-{number}",
                post_type="attachment",
                status="inherit",
                parent=800,
                attachment_url=f"{EDGE_SITE}/wp-content/uploads/2016/09/tile-{number}.jpg",
                meta=[
                    ("_wp_attached_file", f"2016/09/tile-{number}.jpg"),
                    ("_wp_attachment_image_alt", f"Tile {number}"),
                ],
            )
        )
    video = "https://www.youtube.com/watch?v=nwe-H6l4beM"
    items += [
        wp_item(
            900,
            "Signup block",
            slug="signup-block",
            post_type="wp_block",
            content="<!-- wp:paragraph -->\n<p>Sign up for the weekly letter.</p>\n<!-- /wp:paragraph -->",
        ),
        wp_item(
            800,
            "Post Format: Gallery",
            slug="post-format-gallery",
            content=(
                "The teaser everyone saw first.\n<!--more-->\nThe rest of the story.\n\n[gallery]\n\n"
                f'[audio mp3="{EDGE_SITE}/wp-content/uploads/2016/09/interview.mp3"][/audio]\n\n'
                f"[embed]{video}[/embed]\n\n"
                '[contact-form-7 id="4" title="Contact"]\n\n[su_note]Mind the gap.[/su_note]'
            ),
            meta=[("_oembed_0f3c", '<iframe title="Mi 5 hands-on" src="https://www.youtube.com/embed/nwe-H6l4beM">')],
        ),
        wp_item(
            810,
            "Block: Embeds and reusable blocks",
            slug="block-embeds",
            content=(
                "<!-- wp:paragraph -->\n<p>Intro.</p>\n<!-- /wp:paragraph -->\n\n"
                f'<!-- wp:embed {{"url":"{video}","type":"video","providerNameSlug":"youtube"}} -->\n'
                f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n{video}\n</div>'
                "<figcaption>The launch</figcaption></figure>\n<!-- /wp:embed -->\n\n"
                '<!-- wp:block {"ref":900} /-->'
            ),
        ),
    ]
    return write_edge_export(tmp_path / "content.xml", items), uploads


def test_imported_content_reads_as_wordpress_showed_it(client, content_export):
    export, uploads = content_export
    report = run(export, "--media-from", str(uploads))
    gallery = imported("post", 800, Article)
    assert gallery.summary == "The teaser everyone saw first."
    home = client.get("/").content.decode()
    assert "The teaser everyone saw first." in home
    page = client.get(gallery.get_absolute_url()).content.decode()
    for raw in ("[gallery", "[audio", "[embed", "[contact-form-7", "[su_note", "<!--more", "Post Format: Gallery&lt;"):
        assert raw not in page
    assert 'alt="Tile 801"' in page
    assert 'alt="Tile 802"' in page
    assert f'href="{EDGE_SITE}/wp-content/uploads/2016/09/interview.mp3"' in page
    assert ">Mi 5 hands-on</a>" in page
    assert "Mind the gap." in page
    assert "shortcodes hidden from readers" in report
    assert "[contact-form-7] ×1" in report
    assert "[su_note] ×1" in report
    blocks = client.get(imported("post", 810, Article).get_absolute_url()).content.decode()
    assert ">The launch</a>" in blocks
    assert "Sign up for the weekly letter." in blocks
    assert "wp_blocks: expanded where used (not imported on their own) 1" in report
    assert "wp:" not in blocks


def test_a_gif_is_imported_and_an_animated_one_stays_animated(client, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2016" / "09").mkdir(parents=True)
    frames = [PILImage.new("RGB", (32, 24), colour) for colour in ("red", "green", "blue")]
    frames[0].save(uploads / "2016" / "09" / "dance.gif", save_all=True, append_images=frames[1:], duration=120, loop=0)
    items = post_with_featured_image(
        f"{EDGE_SITE}/wp-content/uploads/2016/09/dance.gif", attached_file="2016/09/dance.gif"
    )
    report = run(write_edge_export(tmp_path / "gif.xml", items), "--media-from", str(uploads))
    assert "media fetched: 1, missing: 0" in report
    image = Image.objects.get()
    with image.file.open("rb") as stored, PILImage.open(stored) as gif:
        assert (gif.format, gif.n_frames) == ("GIF", 3)
    page = client.get(imported("post", 500, Article).get_absolute_url()).content.decode()
    assert f'<img src="{image.file.url}" width="32" height="24"' in page


# --- 6. Comments on pages ------------------------------------------------------------------------------------------


def test_the_report_says_plainly_how_many_comments_on_pages_were_not_imported(tmp_path):
    comments = [
        wp_comment(61, "First on the page."),
        wp_comment(62, "A reply.", parent=61),
        wp_comment(63, "Another."),
        wp_comment(64, "Waiting.", approved="0"),
        wp_comment(65, "Binned.", approved="trash"),
    ]
    export = write_edge_export(
        tmp_path / "page.xml",
        [wp_item(1133, "Page with comments", slug="page-with-comments", post_type="page", comments=comments)],
    )
    report = run(export)
    assert "comments on pages NOT imported: 4" in report
    assert "Page with comments”: held for moderation 1, public 3" in report
    assert not XtdComment.norel_objects.exists()


def test_audio_from_the_old_site_is_fetched_and_played_here(client, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2016" / "09").mkdir(parents=True)
    (uploads / "2016" / "09" / "interview.mp3").write_bytes(b"ID3\x03\x00\x00\x00" + b"\x00" * 64)
    audio = f"{EDGE_SITE}/wp-content/uploads/2016/09/interview.mp3"
    items = [wp_item(830, "Podcast", slug="podcast", content=f'Listen:\n\n[audio mp3="{audio}"][/audio]')]
    report = run(write_edge_export(tmp_path / "audio.xml", items), "--media-from", str(uploads))
    assert "audio and video shown as players of the fetched files: 1" in report
    assert default_storage.exists("wordpress/2016/09/interview.mp3")
    page = client.get(imported("post", 830, Article).get_absolute_url())
    assert f'<audio controls="" preload="metadata" src="{default_storage.url("wordpress/2016/09/interview.mp3")}">' in (
        page.content.decode()
    )
    assert "media-src 'self'" in page["Content-Security-Policy"]


def test_a_post_pending_review_on_wordpress_waits_for_review_here(tmp_path):
    export = write_edge_export(
        tmp_path / "pending.xml", [wp_item(2001, "Submitted story", slug="submitted-story", status="pending")]
    )

    run(export)

    assert imported("post", 2001, Article).status == Article.Status.PENDING
