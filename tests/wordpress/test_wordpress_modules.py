"""The importer's modules, each on its own: the report, comment thread layout, redirects' paths, media addresses
and what makes an item public (the whole import is in test_wordpress_import.py and test_wordpress_edge_cases.py)."""

from collections import Counter
from datetime import UTC, datetime

from blog.redirects import kept_query, normal_path, with_query
from comments.bulk import thread_layout
from wordpress import media, permalinks, wxr
from wordpress.posts import PostsMixin
from wordpress.report import Report


def test_the_report_names_what_was_left_out_and_why():
    report = Report()
    report.count("post", "created", 3)
    report.protected.append("post 7 “Secret”")
    report.shortcodes.update({"contact-form-7": 2})
    report.page_comments.append(("page 9 “About”", Counter({"public": 3})))
    lines = "\n".join(report.lines())
    assert "posts: created 3" in lines
    assert "password-protected, imported as drafts: 1" in lines
    assert "[contact-form-7] ×2" in lines
    assert "comments on pages NOT imported: 3" in lines


def test_thread_layout_numbers_threads_depth_first_with_replies_by_date():
    at = [datetime(2016, 9, 1, hour, tzinfo=UTC) for hour in range(24)]
    layout = thread_layout([(1, None, at[1]), (2, 1, at[3]), (3, 1, at[2]), (4, 3, at[4]), (5, None, at[0])])
    assert layout == {
        5: (5, 5, 0, 1, 0),
        1: (1, 1, 0, 1, 3),
        3: (1, 1, 1, 2, 1),
        4: (1, 3, 2, 3, 0),
        2: (1, 1, 1, 4, 0),
    }


def test_old_paths_are_stored_decoded_and_queries_kept_or_dropped():
    assert normal_path("/greek/%ce%b5%cf%80/") == "/greek/επ/"
    assert normal_path("//greek/%ce%b5%cf%80/") == "/greek/επ/"
    assert normal_path("/?p=12") == "/?p=12"
    assert kept_query("utm_source=x&replytocom=4&cpage=2&fbclid=y") == "utm_source=x&cpage=2&fbclid=y"
    assert with_query("/articles/a/?cpage=2#comments", "utm_source=x") == "/articles/a/?cpage=2&utm_source=x#comments"


def test_plain_permalinks_per_post_type():
    def item(post_type):
        return wxr.Item(
            7, post_type, "", "", "", "", "publish", None, None, None, None, "", "", "", 0, 0, "", False, "", "", ""
        )

    assert permalinks.plain_paths(item("post")) == ["/?p=7"]
    assert permalinks.plain_paths(item("page")) == ["/?p=7", "/?page_id=7"]
    assert permalinks.plain_paths(item("attachment")) == ["/?p=7", "/?attachment_id=7"]


def test_an_authors_old_archive_is_at_the_nicename_wordpress_makes_of_the_login():
    assert permalinks.author_path("bilal.ahmed") == "/author/bilal-ahmed/"
    assert permalinks.author_path("Theme_Demos") == "/author/theme-demos/"


def test_a_media_address_is_the_attachments_path_on_the_bases_host():
    source = media.HttpSource("https://old.example/blog/", max_bytes=10)
    assert source.url_for("https://cdn.example/wp-content/uploads/a b.jpg") == (
        "https://old.example/blog/wp-content/uploads/a%20b.jpg"
    )
    assert (
        source.url_for("http://x/http://127.0.0.1:6379/x.jpg") == "https://old.example/blog/http://127.0.0.1:6379/x.jpg"
    )


def test_only_published_or_scheduled_items_without_a_password_are_public():
    def item(status, password=""):
        return wxr.Item(
            1, "post", "", "", "", "", status, None, None, None, None, "", "", "", 0, 0, password, False, "", "", ""
        )

    assert [PostsMixin.is_public(item(status)) for status in ("publish", "future", "private", "draft")] == [
        True,
        True,
        False,
        False,
    ]
    assert not PostsMixin.is_public(item("publish", password="enter"))
