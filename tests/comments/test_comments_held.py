"""A commenter finds their comment awaiting moderation: in its place, marked so, from the same browser only.

The public article page stays the same bytes for every reader; the held comment comes either from its private
link (`?unapproved=…&moderation-hash=…`, rendered privately) or from `/comments/held/<article>/`, a private,
never-cached answer that comments.js reads when the browser's hint cookie names the article.
"""

import re

import pytest
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from blog.models import Article
from comments.cookies import HELD_HINT_COOKIE, POSTED_COOKIE
from tests.comment_factories import CommentFactory, post_comment
from tests.factories import ArticleFactory
from tests.forms import BrowserClient

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]

LINKS = "See https://a.example/ and https://b.example/"  # Two links: held whoever posts it.


def held_url(article):
    return reverse("comment-held", kwargs={"article_pk": article.pk})


def item_of(page, pk):
    """The <li> of comment `pk` up to the next comment's <li>, from a rendered thread."""
    match = re.search(rf'<li class="([^"]*)" id="c{pk}">(.*?)(?=<li class=|</ol>\s*$)', page, re.S)
    assert match, f"comment {pk} is not in the page"
    return match.group(1), match.group(2)


def test_held_reply_is_shown_under_the_comment_it_answers_on_its_private_link(client, article):
    first = CommentFactory(article=article, user_name="Leo Martin")
    CommentFactory(article=article, user_name="Mina Aziz")

    posted = post_comment(client, article, replying_to=first, comment=f"A reply to Leo. {LINKS}")
    held = XtdComment.objects.get(is_public=False)
    page = client.get(posted["Location"]).content.decode()

    classes, _ = item_of(page, held.pk)
    assert "comment-held" in classes
    assert "depth-1" in classes
    # Inside Leo's item, in its list of replies, before Mina's thread.
    leo = page.index(f'id="c{first.pk}"')
    assert leo < page.index('<ol class="children">') < page.index(f'id="c{held.pk}"')
    assert page.index(f'id="c{held.pk}"') < page.index("Mina Aziz")
    assert "Your comment is awaiting moderation." in page


def test_heading_counts_published_comments_and_the_notice_follows_it(client, article):
    CommentFactory(article=article)
    CommentFactory(article=article)

    posted = post_comment(client, article, comment=LINKS)
    page = client.get(posted["Location"]).content.decode()

    heading = re.search(r'<h2 id="comments-title"[^>]*>(.*?)</h2>\s*<p class="comments-held-notice"', page, re.S)
    assert heading, "the notice does not follow the heading"
    assert heading.group(1) == "2 Comments"


def test_with_no_published_comments_the_heading_does_not_say_there_are_none(client, article):
    posted = post_comment(client, article, comment=LINKS)
    page = client.get(posted["Location"]).content.decode()

    assert ">No published comments yet</h2>" in page
    assert "No comments yet" not in page
    assert "Your comment is awaiting moderation: only you can see it" in page


def test_posting_a_held_comment_sets_the_hint_that_it_is_there(client, article):
    post_comment(client, article, comment=LINKS)

    assert client.cookies[HELD_HINT_COOKIE].value == str(article.pk)
    assert client.cookies[HELD_HINT_COOKIE]["httponly"] == ""  # comments.js reads it.
    assert client.cookies[POSTED_COOKIE]["httponly"] is True


def test_a_published_comment_sets_no_hint(client, article):
    post_comment(client, article, comment="Nice article.")

    assert HELD_HINT_COOKIE not in client.cookies


def test_held_answer_gives_the_browsers_own_held_comments_in_their_places(client, article):
    leo = CommentFactory(article=article, user_name="Leo Martin")
    post_comment(client, article, replying_to=leo, comment=f"Reply. {LINKS}")
    post_comment(client, article, comment=f"New thread. {LINKS}")
    reply, thread = XtdComment.objects.filter(is_public=False).order_by("pk")

    response = client.get(held_url(article))

    assert set(response["Cache-Control"].split(", ")) >= {"private", "no-store", "no-cache"}
    assert "Cache-Tag" not in response
    answer = response.json()
    assert [(held["id"], held["parent"]) for held in answer["comments"]] == [(reply.pk, leo.pk), (thread.pk, None)]
    html = answer["comments"][0]["html"]
    assert f'<li class="comment depth-1 comment-held" id="c{reply.pk}">' in html
    assert "Your comment is awaiting moderation." in html
    assert "Reply. See https://a.example/" in html
    assert "comment-reply-link" not in html  # A held comment takes no replies yet.
    assert "awaiting moderation" in answer["notice"]


def test_another_browser_gets_nothing_even_with_the_hint(client, article):
    post_comment(client, article, comment=LINKS)
    other = BrowserClient()
    other.cookies[HELD_HINT_COOKIE] = str(article.pk)  # The hint proves nothing.

    answer = other.get(held_url(article)).json()

    assert answer == {"comments": [], "notice": ""}
    assert other.cookies[HELD_HINT_COOKIE].value == ""  # Forgotten: no need to ask again.


def test_an_altered_signed_list_gives_nothing(client, article):
    post_comment(client, article, comment=LINKS)
    client.cookies[POSTED_COOKIE] = client.cookies[POSTED_COOKIE].value[:-2] + "xx"

    assert client.get(held_url(article)).json()["comments"] == []


def test_once_approved_the_answer_is_empty_and_the_hint_forgets_the_article(client, article):
    post_comment(client, article, comment=LINKS)
    XtdComment.objects.update(is_public=True)

    answer = client.get(held_url(article)).json()

    assert answer["comments"] == []
    assert client.cookies[HELD_HINT_COOKIE].value == ""


def test_held_answer_is_a_404_for_an_unpublished_article(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert client.get(held_url(draft)).status_code == 404


@pytest.mark.usefixtures("every_request_rendered")
def test_public_page_is_the_same_bytes_for_the_commenter_and_anyone_else(client, article):
    CommentFactory(article=article)
    post_comment(client, article, comment=LINKS)

    own = client.get(article.get_absolute_url())
    other = BrowserClient().get(article.get_absolute_url())

    assert own.content == other.content
    assert own["Cache-Control"] == other["Cache-Control"]
    assert "awaiting moderation" not in own.content.decode()
    assert f'data-held-url="{held_url(article)}"' in own.content.decode()


@pytest.fixture
def two_pages_of_threads(settings, article):
    """Two threads a page: Leo Martin's thread is the third, on comments page 2."""
    settings.COMMENTS_THREADS_PER_PAGE = 2
    CommentFactory.create_batch(2, article=article)
    return CommentFactory(article=article, user_name="Leo Martin")


def test_held_answer_says_where_a_reply_to_a_comment_on_another_page_is(client, article, two_pages_of_threads):
    leo = two_pages_of_threads
    post_comment(client, article, replying_to=leo, comment=f"Reply. {LINKS}")
    reply = XtdComment.objects.get(is_public=False)

    (held,) = client.get(held_url(article)).json()["comments"]

    assert held["parent"] == leo.pk
    assert held["elsewhere"] == (
        '<p class="comments-held-notice comments-held-elsewhere" role="status">Your reply to Leo Martin is awaiting '
        "moderation: only you can see it, under their comment on "
        f'<a href="{article.get_absolute_url()}?cpage=2#c{reply.pk}">comments page 2</a>, until an editor approves '
        "it.</p>\n"
    )
    # Its date links to its place too.
    assert f'<a href="{article.get_absolute_url()}?cpage=2#c{reply.pk}"><time' in held["html"]


def test_a_held_new_thread_needs_no_word_of_where_it_is(client, article, two_pages_of_threads):
    post_comment(client, article, comment=f"New thread. {LINKS}")

    (held,) = client.get(held_url(article)).json()["comments"]

    assert held["parent"] is None
    assert held["elsewhere"] == ""


def test_a_held_reply_to_a_comment_removed_since_does_not_name_its_author(client, article, two_pages_of_threads):
    leo = two_pages_of_threads
    post_comment(client, article, replying_to=leo, comment=f"Reply. {LINKS}")
    XtdComment.objects.filter(pk=leo.pk).update(is_removed=True)

    notice = client.get(held_url(article)).json()["comments"][0]["elsewhere"]

    assert "Leo Martin" not in notice
    assert "Your reply is awaiting moderation: only you can see it, under the comment it answers on" in notice


def test_the_name_in_the_notice_of_where_a_reply_is_is_text(client, article, two_pages_of_threads):
    leo = two_pages_of_threads
    XtdComment.objects.filter(pk=leo.pk).update(user_name='<img src=x onerror="alert(1)">')
    post_comment(client, article, replying_to=leo, comment=f"Reply. {LINKS}")

    (held,) = client.get(held_url(article)).json()["comments"]

    assert "<img" not in held["elsewhere"]
    assert "Your reply to &lt;img src=x onerror=&quot;alert(1)&quot;&gt; is awaiting" in held["elsewhere"]
