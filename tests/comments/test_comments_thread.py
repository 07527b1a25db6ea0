"""The thread: constant query count, pagination by whole threads, held and removed comments."""

import datetime
import re

import pytest
from django.core.management import call_command
from django_comments_xtd.models import XtdComment

from comments import services
from comments.queries import approved_comments, max_thread_level, visible_comments
from comments.thread import ThreadComment, build_entries, thread_context
from tests.comment_factories import CommentFactory, post_comment
from tests.factories import ArticleFactory, UserFactory
from tests.forms import BrowserClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]


@pytest.mark.usefixtures("every_request_rendered")
@pytest.mark.parametrize("count", [0, 50, 1000])
def test_article_page_runs_four_queries_however_many_comments(client, article, count, django_assert_num_queries):
    """The article with its author, update history, categories and tags (Article.objects.with_page_details), the
    page's comments (the totals are stored), the header's sections and the footer's pages."""
    if count:
        call_command("seed_comments", article=article.slug, count=count, depth=3, seed=1, verbosity=0)
    client.get(article.get_absolute_url())  # The Site and content types are looked up once per process.

    with django_assert_num_queries(4):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert XtdComment.objects.filter(user__isnull=False).exists() or count == 0


@pytest.mark.parametrize("count", [0, 50, 1000])
def test_held_comments_private_link_runs_five_queries_however_many_comments(
    client, article, count, django_assert_num_queries
):
    if count:
        call_command("seed_comments", article=article.slug, count=count, depth=3, seed=2, verbosity=0)
    response = post_comment(client, article, comment="Held: see https://a.example/ and https://b.example/")
    assert response.status_code == 302, response.content.decode()
    client.get(response["Location"])

    with django_assert_num_queries(5):  # The article page's four and the held comment.
        response = client.get(response["Location"])

    assert "Your comment is awaiting moderation." in response.content.decode()


def test_comments_are_paginated_by_whole_threads(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    threads = []
    for _ in range(3):
        root = CommentFactory(article=article)
        threads.append([root, CommentFactory(article=article, parent=root)])

    first = client.get(article.get_absolute_url()).content.decode()
    second = client.get(f"{article.get_absolute_url()}?cpage=2").content.decode()

    for root, reply in threads[:2]:
        assert f'id="c{root.pk}"' in first
        assert f'id="c{reply.pk}"' in first
    assert f'id="c{threads[2][0].pk}"' in second
    assert f'id="c{threads[2][1].pk}"' in second
    assert f'id="c{threads[0][0].pk}"' not in second
    assert f'href="{article.get_absolute_url()}?cpage=2#comments"' in first
    assert "6 Comments" in second


def test_a_big_thread_is_never_split_across_pages(article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    root = CommentFactory(article=article)
    replies = [CommentFactory(article=article, parent=root) for _ in range(5)]
    CommentFactory(article=article)

    entries = thread_context(article, 1)["comment_entries"]

    assert [entry.comment.pk for entry in entries] == [root.pk, *(reply.pk for reply in replies)]


@pytest.mark.parametrize("page", ["2", "999999", "0", "0001", "%D9%A3", "1e3", "1x", "-1", "abc", "", "1&cpage=1"])
def test_comment_page_number_that_is_not_a_real_page_is_not_found(client, article, page):
    """Never a fresh 200: every such URL would be another render and another cache entry."""
    CommentFactory(article=article)

    assert client.get(f"{article.get_absolute_url()}?cpage={page}").status_code == 404


@pytest.mark.parametrize("page", ["%D9%A3", "0001", "1e3"])
def test_bogus_comment_page_number_is_not_found_for_a_signed_in_reader_either(client, article, page):
    client.force_login(UserFactory())

    assert client.get(f"{article.get_absolute_url()}?cpage={page}").status_code == 404


def test_redirect_after_posting_goes_to_the_page_holding_the_new_comment(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 1
    CommentFactory(article=article)

    response = post_comment(client, article)

    assert response["Location"].endswith(f"?cpage=2#c{XtdComment.objects.latest('pk').pk}")


def test_thread_html_is_the_same_for_every_reader(client, article):
    """The shared part carries no CSRF token or per-reader text, so a page cache can serve it to all."""
    CommentFactory(article=article, parent=CommentFactory(article=article))
    anonymous = client.get(article.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    signed_in = client.get(article.get_absolute_url()).content.decode()

    def thread(page):
        return re.search(r'<h2 id="comments-title".*?(?=<div class="respond")', page, re.S).group(0)

    assert thread(anonymous) == thread(signed_in)
    assert "csrfmiddlewaretoken" not in thread(anonymous)


def test_comment_shows_its_date_and_time_in_the_site_time_zone_and_its_line_breaks(client, article, settings):
    settings.TIME_ZONE = "Asia/Karachi"
    submitted = datetime.datetime(2016, 8, 4, 4, 5, tzinfo=datetime.UTC)
    comment = CommentFactory(article=article, submit_date=submitted, comment="First line\r\nSecond\rThird\n\nLast")

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<time datetime="2016-08-04T09:05:00+05:00">04/08/2016 at 09:05</time>' in page, comment.pk
    assert "<p>First line<br>Second<br>Third<br><br>Last</p>" in page


def test_comment_dates_follow_the_sites_date_format_setting(client, article, settings):
    settings.BLOG_DATE_FORMAT = "j F Y"
    CommentFactory(article=article, submit_date=datetime.datetime(2016, 8, 4, 16, 30, tzinfo=datetime.UTC))

    page = client.get(article.get_absolute_url()).content.decode()

    assert ">4 August 2016 at 16:30</time>" in page


@pytest.mark.parametrize("page_number", [1, 2, 3])
def test_page_query_reads_the_visible_comments_of_the_approved_threads_on_its_page(article, settings, page_number):
    """thread_context's plain SQL against the ORM's definitions it mirrors (visible and approved comments)."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    other_article = ArticleFactory()
    for _ in range(4):
        root = CommentFactory(article=article)
        CommentFactory(article=article, parent=root)
        CommentFactory(article=article, parent=root, is_public=False)
        CommentFactory(article=other_article)
    CommentFactory(article=article, is_removed=True)
    CommentFactory(article=article, is_public=False)
    removed_root = CommentFactory(article=article)
    CommentFactory(article=article, parent=removed_root)
    services.remove(comments=XtdComment.objects.filter(pk=removed_root.pk))
    CommentFactory(article=article)
    article.refresh_from_db()  # The stored totals the pagination reads.
    threads = approved_comments(article).values("thread_id").distinct().order_by("thread_id")
    on_page = threads[(page_number - 1) * 2 : page_number * 2]
    fields = list(ThreadComment._fields)
    rows = visible_comments(article).filter(thread_id__in=on_page).order_by("thread_id", "order").values_list(*fields)
    expected = build_entries([ThreadComment(*row) for row in rows], max_thread_level())

    entries = thread_context(article, page_number)["comment_entries"]

    assert [entry.comment for entry in entries] == [entry.comment for entry in expected]
    assert len(entries) >= 2


def test_removed_comment_keeps_the_thread_shape_without_its_text(client, article):
    root = CommentFactory(article=article, comment="Rude words here.")
    reply = CommentFactory(article=article, parent=root)
    services.remove(comments=XtdComment.objects.filter(pk=root.pk))  # The admin's "Remove" action.

    page = client.get(article.get_absolute_url()).content.decode()

    assert "This comment was removed." in page
    assert "Rude words here." not in page
    assert f'id="c{reply.pk}"' in page
    assert "1 Comment<" in page


def test_removed_comment_without_replies_disappears(client, article):
    CommentFactory(article=article, is_removed=True)

    page = client.get(article.get_absolute_url()).content.decode()

    assert "This comment was removed." not in page
    assert "No comments yet" in page


def test_held_comment_is_shown_only_on_its_authors_private_link(client, article, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    posted = post_comment(client, article, comment="Please approve me.")

    private = client.get(posted["Location"])
    other = BrowserClient().get(article.get_absolute_url()).content.decode()

    own = private.content.decode()
    assert "Your comment is awaiting moderation." in own
    assert "Please approve me." in own
    assert "No published comments yet" in own  # Not "No comments yet" above the reader's own comment.
    assert set(private["Cache-Control"].split(", ")) == {"private", "no-store"}
    assert "Please approve me." not in other


def test_held_comments_link_with_a_wrong_hash_shows_nothing(client, article, settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = True
    posted = post_comment(client, article, comment="Please approve me.")
    comment = XtdComment.objects.get()

    forged = client.get(f"{article.get_absolute_url()}?unapproved={comment.pk}&moderation-hash=0123456789abcdef")

    assert posted["Location"].startswith(f"{article.get_absolute_url()}?unapproved={comment.pk}&moderation-hash=")
    assert "Please approve me." not in forged.content.decode()
