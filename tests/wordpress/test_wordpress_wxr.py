"""wordpress.wxr reads WordPress exports (WXR 1.1 and 1.2) as WordPress writes them, and refuses anything else."""

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.wordpress_export import write_large_export
from wordpress import permalinks, threads, wxr

DATA = Path(__file__).parent.parent / "data" / "wordpress"
EXPORT = DATA / "export.xml"


@pytest.fixture(scope="module")
def export():
    return wxr.parse(EXPORT)


def item(export, post_id):
    return next(each for each in export.items if each.post_id == post_id)


def comment(item, comment_id):
    return next(each for each in item.comments if each.id == comment_id)


def wxr_text(body, version="1.2"):
    """A minimal export around ``body`` (channel children), for the error cases."""
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f'<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:wp="http://wordpress.org/export/{version}/">\n<channel>\n<title>T</title>\n'
        f"<wp:wxr_version>{version}</wp:wxr_version>\n{body}\n</channel>\n</rss>\n"
    ).encode()


def item_xml(post_id="7", post_date="2016-08-04 14:30:00", comments=""):
    return (
        f"<item><title>Post {post_id}</title><wp:post_id>{post_id}</wp:post_id>"
        f"<wp:post_date>{post_date}</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>"
        f"<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>{comments}</item>"
    )


def comment_xml(comment_id="1", parent="0"):
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id><wp:comment_parent>{parent}</wp:comment_parent>"
        "<wp:comment_date>2016-08-04 15:00:00</wp:comment_date><wp:comment_approved>1</wp:comment_approved>"
        "</wp:comment>"
    )


# --- The channel -----------------------------------------------------------------------------------
def test_site_header_is_read(export):
    assert export.site == wxr.Site(
        title="Example Phone News",
        link="https://news.example.org",
        description="Phones, networks and the rules around them",
        language="en-US",
        wxr_version="1.2",
        base_site_url="https://news.example.org",
        base_blog_url="https://news.example.org",
    )


def test_authors_are_read_with_non_ascii_names(export):
    assert [(a.id, a.login, a.email, a.display_name) for a in export.authors] == [
        (2, "alison", "alison@news.example.org", "Alison Johnson"),
        (3, "bilal.ahmed", "bilal@news.example.org", "بلال احمد"),
    ]
    assert (export.authors[1].first_name, export.authors[1].last_name) == ("بلال", "احمد")


def test_categories_keep_their_parent_slug(export):
    assert [(c.term_id, c.slug, c.parent, c.name) for c in export.categories] == [
        (1, "uncategorized", "", "Uncategorized"),
        (2, "news", "", "News"),
        (5, "mobile", "news", "Mobile"),
    ]
    assert export.categories[1].description == "What happened, as it happened."


def test_tags_and_other_terms_are_read(export):
    assert [(t.term_id, t.slug, t.name) for t in export.tags] == [
        (7, "xiaomi", "Xiaomi"),
        (8, "pta", "PTA"),
        (9, "pakistan", "Pakistan"),
    ]
    assert export.tags[2].description == "Stories from Pakistan"
    assert export.terms == [wxr.Term(11, "nav_menu", "main-menu", "", "Main menu", "")]


def test_iter_records_gives_the_site_first_then_the_file_in_order():
    kinds = [type(record).__name__ for record in wxr.iter_records(EXPORT)]
    assert kinds[:7] == ["Site", "Author", "Author", "Category", "Category", "Category", "Tag"]
    assert kinds.count("Item") == 10


def test_a_binary_file_object_reads_like_a_path(export):
    assert wxr.parse(io.BytesIO(EXPORT.read_bytes())).items == export.items


# --- Items -----------------------------------------------------------------------------------------
def test_items_of_every_post_type_are_read(export):
    assert [(i.post_id, i.post_type, i.status) for i in export.items] == [
        (10, "attachment", "inherit"),
        (12, "attachment", "inherit"),
        (101, "post", "publish"),
        (102, "post", "publish"),
        (103, "page", "publish"),
        (104, "post", "future"),
        (105, "post", "draft"),
        (106, "post", "private"),
        (107, "post", "trash"),
        (108, "nav_menu_item", "publish"),
    ]
    assert export.skipped == []


def test_a_published_post_keeps_wordpress_slug_title_link_and_author(export):
    post = item(export, 101)
    assert post.title == "Why Xiaomi Smartphones Banned in Pakistan?"
    assert post.slug == "why-xiaomi-smartphones-banned-in-pakistan"
    assert post.link == "https://news.example.org/2016/08/04/why-xiaomi-smartphones-banned-in-pakistan/"
    assert post.link_path == "/2016/08/04/why-xiaomi-smartphones-banned-in-pakistan/"
    assert post.guid == "https://news.example.org/?p=101"
    assert post.creator == "alison"
    assert post.excerpt == "Some Xiaomi phones can no longer be sold in Pakistan."
    assert (post.is_sticky, post.comment_status, post.ping_status) == (True, "open", "open")
    assert (post.post_parent, post.menu_order, post.post_password) == (0, 0, "")


def test_post_dates_are_local_naive_and_gmt_aware(export):
    post = item(export, 101)
    assert post.post_date == datetime(2016, 8, 4, 14, 30)
    assert post.post_date_gmt == datetime(2016, 8, 4, 9, 30, tzinfo=UTC)
    assert post.post_modified == datetime(2016, 8, 5, 10, 0)
    assert post.post_modified_gmt == datetime(2016, 8, 5, 5, 0, tzinfo=UTC)


def test_categories_and_tags_of_an_item(export):
    post = item(export, 101)
    assert [(t.slug, t.name) for t in post.categories] == [("mobile", "Mobile"), ("news", "News")]
    assert [t.slug for t in post.tags] == ["pakistan", "pta", "xiaomi"]


def test_postmeta_keeps_every_value_of_a_repeated_key(export):
    post = item(export, 101)
    assert post.postmeta["_wp_old_slug"] == ["xiaomi-phones-banned", "xiaomi-banned-in-pakistan"]
    assert post.old_slugs == ["xiaomi-phones-banned", "xiaomi-banned-in-pakistan"]
    assert post.meta("_edit_last") == "2"
    assert post.meta("_missing", "none") == "none"


def test_featured_image_points_at_an_attachment_with_alt_text_and_file(export):
    post = item(export, 101)
    attachment = item(export, post.thumbnail_id)
    assert attachment.post_type == "attachment"
    assert attachment.attachment_url == "https://news.example.org/wp-content/uploads/2016/08/xiaomi-phone.jpg"
    assert attachment.image_alt == "A Xiaomi phone on a desk"
    assert attachment.attached_file == "2016/08/xiaomi-phone.jpg"
    assert attachment.excerpt == "Xiaomi’s Redmi Note 3, sold in Pakistan until the ban"
    assert attachment.post_parent == 101
    assert item(export, 102).thumbnail_id is None


def test_cdata_split_by_wordpress_is_joined_again(export):
    assert "<code>if (list[ids[0]]> 3)</code>" in item(export, 101).content


def test_content_keeps_newlines_shortcodes_and_curly_quotes(export):
    content = item(export, 101).content
    assert content.startswith("The <strong>Pakistan Telecommunication Authority</strong> has told")
    assert 'Monday.\n\n[caption id="attachment_10"' in content
    assert "“Phones that are not type-approved cannot be sold,”" in content
    assert item(export, 102).title == "Pakistan’s phone registration: what changed"


def test_a_gutenberg_post_keeps_its_block_comments(export):
    assert item(export, 102).content.startswith("<!-- wp:paragraph -->\n<p>Every phone")


def test_a_page_is_read_with_its_menu_order(export):
    page = item(export, 103)
    assert (page.post_type, page.slug, page.menu_order, page.link_path) == ("page", "about-us", 1, "/about-us/")


def test_a_scheduled_post_has_its_future_dates(export):
    post = item(export, 104)
    assert post.status == "future"
    assert post.post_date_gmt == datetime(2027, 1, 15, 3, 0, tzinfo=UTC)
    assert post.link_path == ""  # WordPress links unpublished posts as ?p=104


def test_a_draft_without_gmt_date_reads_none_and_no_slug(export):
    draft = item(export, 105)
    assert (draft.status, draft.slug) == ("draft", "")
    assert draft.post_date == datetime(2016, 8, 5, 21, 45)
    assert draft.post_date_gmt is None


def test_private_and_trashed_posts_keep_their_status(export):
    assert item(export, 106).status == "private"
    trashed = item(export, 107)
    assert trashed.status == "trash"
    assert trashed.meta("_wp_trash_meta_status") == "publish"


# --- Dates and the timezone ------------------------------------------------------------------------
def test_resolve_date_prefers_the_gmt_date(export):
    post = item(export, 101)
    assert post.date_utc(ZoneInfo("America/New_York")) == datetime(2016, 8, 4, 9, 30, tzinfo=UTC)


def test_resolve_date_reads_a_local_date_in_the_given_timezone(export):
    draft = item(export, 105)
    assert draft.date_utc(ZoneInfo("Asia/Karachi")) == datetime(2016, 8, 5, 16, 45, tzinfo=UTC)
    assert draft.date_utc(UTC) == datetime(2016, 8, 5, 21, 45, tzinfo=UTC)


def test_resolve_date_follows_daylight_saving_of_the_zone():
    new_york = ZoneInfo("America/New_York")
    assert wxr.resolve_date(datetime(2016, 1, 4, 12, 0), None, new_york) == datetime(2016, 1, 4, 17, 0, tzinfo=UTC)
    assert wxr.resolve_date(datetime(2016, 7, 4, 12, 0), None, new_york) == datetime(2016, 7, 4, 16, 0, tzinfo=UTC)
    assert wxr.resolve_date(None, None, new_york) is None


def test_inferred_timezone_is_the_offset_the_dated_items_show(export):
    assert export.inferred_timezone() == timezone(timedelta(hours=5))


def test_inferred_timezone_is_none_without_gmt_dates():
    export = wxr.parse(io.BytesIO(wxr_text(item_xml())))
    assert export.inferred_timezone() is None


# --- Comments --------------------------------------------------------------------------------------
def test_comments_in_every_status_are_read(export):
    post = item(export, 101)
    assert [(c.id, c.approved) for c in post.comments] == [
        (1001, "1"),
        (1002, "1"),
        (1003, "1"),
        (1004, "1"),
        (1005, "1"),
        (1006, "0"),
        (1007, "spam"),
        (1008, "trash"),
        (1009, "1"),
        (1010, "1"),
    ]
    assert comment(item(export, 107), 1020).approved == "post-trashed"


def test_comment_fields_are_read(export):
    first = comment(item(export, 101), 1001)
    assert (first.author, first.email, first.url, first.ip) == (
        "Sara Khan",
        "sara@example.com",
        "https://sara.example.com",
        "203.0.113.10",
    )
    assert first.date == datetime(2016, 8, 4, 15, 2, 10)
    assert first.date_gmt == datetime(2016, 8, 4, 10, 2, 10, tzinfo=UTC)
    assert first.content == "Does this cover phones bought before the order?"
    assert (first.type, first.parent, first.user_id, first.is_ping) == ("comment", 0, 0, False)
    assert first.meta == {"akismet_result": ["false"]}


def test_threaded_comments_keep_a_parent_chain_deeper_than_three(export):
    by_id = {c.id: c for c in item(export, 101).comments}
    chain = [1010]
    while by_id[chain[-1]].parent:
        chain.append(by_id[chain[-1]].parent)
    assert chain == [1010, 1005, 1004, 1003, 1002, 1001]


def test_a_pingback_is_marked_as_a_ping(export):
    ping = comment(item(export, 101), 1009)
    assert (ping.type, ping.is_ping, ping.email) == ("pingback", True, "")


def test_a_registered_users_comment_has_their_user_id(export):
    reply = comment(item(export, 101), 1002)
    assert reply.user_id == 2
    assert next(a for a in export.authors if a.id == reply.user_id).login == "alison"


def test_non_ascii_comment_text_and_ipv6_address(export):
    urdu = comment(item(export, 101), 1010)
    assert urdu.author == "عائشہ"
    assert urdu.content == "بہت اچھا مضمون، شکریہ! “PTA” کا فیصلہ درست ہے۔"
    assert urdu.ip == "2001:db8::17"


# --- Other versions and a newer export -------------------------------------------------------------
def test_wxr_1_1_export_reads_the_same_way():
    export = wxr.parse(DATA / "export-wxr-1.1.xml")
    assert export.site.wxr_version == "1.1"
    assert export.site.description == "Phones & networks"
    (post,) = export.items
    assert (post.post_id, post.slug, post.status, post.creator) == (5, "hello-from-the-desk", "publish", "admin")
    assert post.post_modified is None
    assert post.post_modified_gmt is None
    assert [t.slug for t in post.tags] == ["launch"]
    assert [(c.id, c.type, c.parent, c.user_id, c.author) for c in post.comments] == [
        (2, "", 0, 0, "Zoë"),
        (3, "", 2, 1, "Desk"),
    ]


def test_newer_export_has_the_edited_post_and_the_new_comment(export):
    newer = wxr.parse(DATA / "export-newer.xml")
    before, after = item(export, 101), item(newer, 101)
    assert after.post_modified_gmt > before.post_modified_gmt
    assert "Xiaomi disputes this" in after.content
    assert "Xiaomi disputes this" not in before.content
    new_ids = {c.id for c in after.comments} - {c.id for c in before.comments}
    assert new_ids == {1011}
    assert comment(after, 1011).user_id == 3
    assert [i.post_id for i in newer.items] == [i.post_id for i in export.items]


# --- Files that are not a readable WXR -------------------------------------------------------------
def test_a_truncated_export_is_refused_as_truncated():
    with pytest.raises(wxr.WXRError, match=r"ends early at line \d+.*truncated"):
        wxr.parse(DATA / "export-truncated.xml")


def test_an_rss_feed_without_the_wordpress_namespace_is_not_an_export():
    with pytest.raises(wxr.WXRError, match="RSS feed without the WordPress export namespace"):
        wxr.parse(DATA / "not-wxr-feed.xml")


def test_an_html_page_is_not_an_export():
    page = b"<html><head><title>Export</title></head><body><p>Hello</p></body></html>"
    with pytest.raises(wxr.WXRError, match="a web page"):
        wxr.parse(io.BytesIO(page))


def test_an_html_page_that_is_not_even_xml_is_named_a_web_page():
    page = b"<!DOCTYPE html>\n<html lang=en><body><p>Caf&eacute; <br> menu</body></html>"
    with pytest.raises(wxr.WXRError, match="a web page"):
        wxr.parse(io.BytesIO(page))


def test_an_empty_file_is_named_empty():
    with pytest.raises(wxr.WXRError, match="The file is empty"):
        wxr.parse(io.BytesIO(b""))


def test_text_that_is_not_xml_is_refused():
    with pytest.raises(wxr.WXRError, match="Not an XML file"):
        wxr.parse(io.BytesIO(b"post_id,title\n1,Hello\n"))


def test_an_atom_feed_is_not_an_export():
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'
    with pytest.raises(wxr.WXRError, match="the file is <feed>"):
        wxr.parse(io.BytesIO(atom))


def test_a_channel_without_wxr_version_is_refused():
    text = wxr_text(item_xml()).replace(b"<wp:wxr_version>1.2</wp:wxr_version>", b"")
    with pytest.raises(wxr.WXRError, match="no <wp:wxr_version>"):
        wxr.parse(io.BytesIO(text))


def test_an_unsupported_wxr_version_is_named():
    with pytest.raises(wxr.WXRError, match=r"WXR 1\.0 is not supported"):
        wxr.parse(io.BytesIO(wxr_text(item_xml(), version="1.0")))


def test_entity_expansion_is_refused():
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&b;</title></channel></rss>'
    )
    with pytest.raises(wxr.WXRError, match=r"declares XML entities.*refused for safety"):
        wxr.parse(io.BytesIO(bomb))


def test_external_entities_are_refused_and_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&x;</title></channel></rss>'
    ).encode()
    with pytest.raises(wxr.WXRError, match="refused for safety"):
        wxr.parse(io.BytesIO(xxe))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(wxr.WXRError, match="Cannot read the file"):
        wxr.parse(tmp_path / "nope.xml")


def test_an_item_with_an_unreadable_date_is_skipped_and_the_rest_read():
    text = wxr_text(item_xml("7", post_date="2016-02-30 10:00:00") + item_xml("8"))
    export = wxr.parse(io.BytesIO(text))
    assert [i.post_id for i in export.items] == [8]
    assert export.skipped == [wxr.Skipped("item", "7", "Post 7", "'2016-02-30 10:00:00' is not a WordPress date")]


def test_an_item_without_an_id_is_skipped():
    export = wxr.parse(io.BytesIO(wxr_text(item_xml("") + item_xml("8"))))
    assert [i.post_id for i in export.items] == [8]
    assert export.skipped[0].kind == "item"
    assert "not a number" in export.skipped[0].reason


def test_an_unreadable_comment_is_skipped_and_its_post_kept():
    text = wxr_text(item_xml("7", comments=comment_xml("1") + comment_xml("2", parent="x")))
    export = wxr.parse(io.BytesIO(text))
    assert [c.id for c in export.items[0].comments] == [1]
    assert export.skipped == [wxr.Skipped("comment", "2", "Post 7", "'x' is not a number")]


# --- Scale -----------------------------------------------------------------------------------------
def test_an_export_of_1000_posts_and_20000_comments_is_read_whole(tmp_path):
    export = wxr.parse(write_large_export(tmp_path / "large.xml", posts=1000, comments=20000))
    assert len(export.items) == 1000
    comments = [c for i in export.items for c in i.comments]
    assert len(comments) == 20000
    assert {c.approved for c in comments} == {"1", "0", "trash", "spam"}
    assert sum(c.is_ping for c in comments) == 1000
    assert export.items[-1].content.endswith("خبر 1000")
    assert "<code>a[b[0]]>c</code>" in export.items[0].content


# --- Threads ---------------------------------------------------------------------------------------
def test_replies_deeper_than_the_reply_depth_hang_under_the_deepest_allowed_ancestor(export):
    comments = item(export, 101).comments
    threading = threads.attach_replies(comments, max_depth=3, keep=lambda c: c.approved in ("1", "0"))
    assert threading.parents == {
        1001: None,
        1002: 1001,
        1003: 1002,
        1004: 1002,
        1005: 1002,
        1006: None,
        1009: None,
        1010: 1002,
    }
    assert threading.rehung_deep == [1004, 1005, 1010]
    assert threading.rehung_orphans == []


def test_threads_within_the_reply_depth_are_kept_as_they_are(export):
    comments = item(export, 101).comments
    threading = threads.attach_replies(comments, max_depth=10)
    assert threading.parents == {c.id: c.parent or None for c in comments}
    assert threading.rehung_deep == threading.rehung_orphans == []


def test_a_reply_to_a_comment_not_imported_hangs_under_its_nearest_imported_ancestor():
    comments = [wxr_comment(1, 0), wxr_comment(2, 1), wxr_comment(3, 2), wxr_comment(4, 99)]
    threading = threads.attach_replies(comments, max_depth=5, keep=lambda c: c.id != 2)
    assert threading.parents == {1: None, 3: 1, 4: None}
    assert threading.rehung_orphans == [3, 4]


def test_a_flat_site_puts_every_reply_at_the_top():
    comments = [wxr_comment(1, 0), wxr_comment(2, 1), wxr_comment(3, 2)]
    assert threads.attach_replies(comments, max_depth=1).parents == {1: None, 2: None, 3: None}


def test_a_parent_listed_after_its_reply_comes_once_before_it_in_the_order():
    comments = [wxr_comment(2, 1), wxr_comment(1, 0)]
    assert threads.attach_replies(comments, max_depth=3).order == [1, 2]


def test_a_parent_loop_is_cut_at_the_top():
    comments = [wxr_comment(1, 2), wxr_comment(2, 1)]
    assert threads.attach_replies(comments, max_depth=3).parents == {1: None, 2: 1}


def test_replies_listed_before_their_parents_still_hang_under_them_in_date_order():
    # File order: a reply to a reply, the reply, a late thread, the first comment.
    comments = [wxr_comment(4, 2, hour=12), wxr_comment(2, 1, hour=11), wxr_comment(3, 0, hour=13), wxr_comment(1, 0)]
    threading = threads.attach_replies(comments, max_depth=5, key=lambda c: (c.date_gmt, c.id))
    assert threading.parents == {1: None, 2: 1, 4: 2, 3: None}
    assert threading.order == [1, 2, 4, 3]
    assert threading.rehung_orphans == threading.rehung_deep == []


def wxr_comment(comment_id, parent, hour=10):
    date = datetime(2016, 8, 4, hour, tzinfo=UTC)
    return wxr.Comment(comment_id, "", "", "", "", None, date, "", "1", "comment", parent, 0)


# --- Old URLs --------------------------------------------------------------------------------------
def test_old_slugs_give_the_paths_the_post_answered_at(export):
    assert permalinks.old_slug_paths(item(export, 101)) == [
        "/2016/08/04/xiaomi-phones-banned/",
        "/2016/08/04/xiaomi-banned-in-pakistan/",
    ]
    assert permalinks.old_slug_paths(item(export, 104)) == []


def test_category_paths_include_their_parents(export):
    mobile = next(c for c in export.categories if c.slug == "mobile")
    assert permalinks.category_path(mobile, export.categories) == "/category/news/mobile/"
    assert permalinks.category_path(mobile, export.categories, base="section") == "/section/news/mobile/"


def test_tag_and_feed_paths(export):
    assert permalinks.tag_path(export.tags[0]) == "/tag/xiaomi/"
    assert permalinks.feed_path() == "/feed/"
    assert permalinks.feed_path("/2016/08/04/slug/") == "/2016/08/04/slug/feed/"


def test_malformed_xml_names_the_line_and_the_problem():
    broken = EXPORT.read_bytes().replace(b"</wp:post_id>", b"</wp:postid>", 1)
    with pytest.raises(wxr.WXRError, match=r"not well-formed XML at line \d+, column \d+: mismatched tag"):
        wxr.parse(io.BytesIO(broken))


def test_an_author_or_category_without_an_id_is_read_with_id_0():
    body = (
        "<wp:author><wp:author_login>desk</wp:author_login></wp:author>"
        "<wp:category><wp:category_nicename>news</wp:category_nicename><wp:cat_name>News</wp:cat_name></wp:category>"
    )
    export = wxr.parse(io.BytesIO(wxr_text(body)))
    assert [(a.id, a.login) for a in export.authors] == [(0, "desk")]
    assert [(c.term_id, c.slug) for c in export.categories] == [(0, "news")]
