"""The hostile-input corpus through the real comment form and the admin: no 500, no live markup anywhere.

Each case posts from its own address and email, so flood control never hides a result. Tests record what
they measured (`record_property`) for `make check-security`, which reads them from pytest's JUnit XML.
"""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from authors.models import Author
from blog.models import Article
from tests.comment_factories import CommentFactory, comment_form_data
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import BrowserClient, form_data, submit_form
from tests.hostile_corpus import (
    ACCEPTED,
    ACCEPTED_CASES,
    CASE_IDS,
    CASES,
    MALFORMED,
    MARKER,
    REJECTED,
    encoded_body,
    unescaped_markup,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("comments_publish_at_once")]

KEPT_COMMENT = "The reader's carefully written comment."
KEPT_NAME = "Careful Reader"
ATOM = "{http://www.w3.org/2005/Atom}"


def send(article, case):
    """Post `case` through the article page's form, from an address and email of its own."""
    number = CASES.index(case)
    client = BrowserClient(REMOTE_ADDR=f"198.51.{number // 250}.{number % 250 + 1}", raise_request_exception=False)
    defaults = {"comment": KEPT_COMMENT, "name": KEPT_NAME, "email": f"case{number}@example.com"}
    data = comment_form_data(client, article, **{**defaults, **case.changes})
    url = reverse("comment-post")
    if case.raw:
        return client.post(url, encoded_body(data, case.raw), content_type="application/x-www-form-urlencoded")
    return client.post(url, data)


def field_errors(page, field):
    """The text of the form paragraph that holds `field` (its label, input and error)."""
    start = page.index(f'for="id_{field}"') if f'for="id_{field}"' in page else page.index('id="comment-form"')
    return page[start : page.index("</p>", start)]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_hostile_submission_gets_its_expected_answer_and_never_a_500(article, case, record_property):
    response = send(article, case)

    record_property("hostile_case", case.name)
    record_property("status", response.status_code)
    expected = {ACCEPTED: 302, REJECTED: 200, MALFORMED: 400}[case.outcome]
    assert response.status_code == expected
    assert XtdComment.objects.count() == (1 if case.outcome == ACCEPTED else 0)


@pytest.mark.parametrize("case", [case for case in CASES if case.outcome == REJECTED], ids=lambda case: case.name)
def test_rejected_submission_names_the_problem_next_to_its_field_and_keeps_the_text(article, case):
    response = send(article, case)

    assert case.message in field_errors(response.content.decode(), case.field)
    kept_field, kept_text = ("name", KEPT_NAME) if case.field == "comment" else ("comment", KEPT_COMMENT)
    assert form_data(response, "comment-form")[kept_field] == kept_text


@pytest.mark.parametrize("case", [case for case in CASES if case.outcome != ACCEPTED], ids=lambda case: case.name)
def test_refusal_page_shows_the_readers_text_without_live_markup(article, case, record_property):
    problems = unescaped_markup(send(article, case).content.decode())

    record_property("unescaped", len(problems))
    assert problems == []


@pytest.mark.parametrize("case", ACCEPTED_CASES, ids=lambda case: case.name)
def test_accepted_submission_is_stored_exactly_as_typed(article, case):
    send(article, case)

    comment = XtdComment.objects.get()
    for form_field, model_field in {"comment": "comment", "name": "user_name", "email": "user_email"}.items():
        if form_field in case.changes:
            assert getattr(comment, model_field) == case.changes[form_field]
    assert (comment.is_public, comment.is_removed, comment.user_id) == (True, False, None)


def feed_html_parts(xml_text):
    """The HTML carried by a feed's descriptions and contents (what a feed reader renders)."""
    root = ET.fromstring(xml_text)
    tags = {"description", f"{ATOM}summary", f"{ATOM}content"}
    return [element.text or "" for element in root.iter() if element.tag in tags]


def test_password_guessing_on_the_admin_is_locked_out_at_the_fifth_failure(client, editor, record_property):
    attempts = 0
    status = 200
    while status != 429 and attempts < 20:
        attempts += 1
        status = client.post(
            reverse("admin:login"), {"username": editor.username, "password": f"guess-{attempts}"}
        ).status_code
        assert status in {200, 429}

    record_property("locked_at", attempts)
    assert (status, attempts) == (429, 5)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # The page cache is invalidated on commit.
class TestNothingRunsWherePayloadsAreShown:
    """Every accepted payload, on every page that shows it: the article, its feeds, the admin."""

    @pytest.fixture
    def posted(self, article, case):
        assert send(article, case).status_code == 302
        return XtdComment.objects.get()

    @pytest.mark.parametrize("case", ACCEPTED_CASES, ids=lambda case: case.name)
    def test_article_page(self, client, article, posted, record_property):
        page = client.get(article.get_absolute_url()).content.decode()

        problems = unescaped_markup(page)
        record_property("unescaped", len(problems))
        assert f'id="c{posted.pk}"' in page
        assert problems == []

    @pytest.mark.parametrize("case", ACCEPTED_CASES, ids=lambda case: case.name)
    @pytest.mark.parametrize("feed", ["comments_feed", "comments_feed_atom"])
    def test_comments_feed(self, client, article, posted, feed, record_property):
        response = client.get(reverse(feed, args=[article.slug]))

        parts = feed_html_parts(response.content)
        problems = [problem for part in parts for problem in unescaped_markup(part)]
        record_property("unescaped", len(problems))
        assert response.status_code == 200
        assert f"#c{posted.pk}" in response.content.decode()
        assert problems == []

    @pytest.mark.parametrize("case", ACCEPTED_CASES, ids=lambda case: case.name)
    def test_admin_comment_list(self, editor_client, posted, record_property):
        response = editor_client.get(reverse("admin:django_comments_xtd_xtdcomment_changelist"))

        page = response.content.decode()
        problems = unescaped_markup(page)
        record_property("unescaped", len(problems))
        assert reverse("admin:django_comments_xtd_xtdcomment_change", args=[posted.pk]) in page
        assert problems == []

    @pytest.mark.parametrize("case", ACCEPTED_CASES, ids=lambda case: case.name)
    def test_admin_comment_change_page(self, editor_client, posted, record_property):
        response = editor_client.get(reverse("admin:django_comments_xtd_xtdcomment_change", args=[posted.pk]))

        problems = unescaped_markup(response.content.decode())
        record_property("unescaped", len(problems))
        assert form_data(response, "xtdcomment_form")["comment"] == posted.comment.replace("\r\n", "\n").replace(
            "\n", "\r\n"
        )
        assert problems == []


def pages_without_live_markup(client, urls, record_property):
    problems = [problem for url in urls for problem in unescaped_markup(client.get(url).content.decode())]
    record_property("unescaped", len(problems))
    return problems == []


HOSTILE_TEXT = f"<script>{MARKER}</script>\"><img src=x onerror={MARKER}> '; DROP TABLE blog_article; --"
ADMIN_ARTICLE_INPUTS = {
    "hostile title": {"title": HOSTILE_TEXT},
    "title over 200 characters": {"title": "T" * 201},
    "slug with markup": {"slug": HOSTILE_TEXT},
    "slug over 200 characters": {"slug": "s" * 201},
    "summary over 300 characters": {"summary": "S" * 301},
    "NUL byte in body": {"body": "Body\x00text"},
    "3 MB body": {"body": "B" * 3_000_000},
    "script and handlers in body": {"body": f"{HOSTILE_TEXT}\n\n[x](javascript:{MARKER})\n\n<a href='data:x'>d</a>"},
    "published_at not a date": {"published_at_0": f"{MARKER}", "published_at_1": "25:99"},
    "published_at year 99999": {"published_at_0": "99999-01-01", "published_at_1": "00:00"},
    "last_updated_on out of range": {"last_updated_on": "0000-00-00"},
    "unknown status": {"status": MARKER},
    "author of no author": {"author": "987654321"},
    "author not a number": {"author": f"1 OR 1=1 {MARKER}"},
    "author beyond bigint": {"author": "9" * 30},
    "negative close after days": {"close_comments_after_days": "-5"},
    "close after days beyond integer": {"close_comments_after_days": "9" * 30},
}


def assert_admin_add_is_saved_escaped_or_refused(editor_client, model, fields, changes, record_property):
    """Post the admin's add form for `model` with `fields` and the hostile `changes`: the answer is the form again
    with an error, or the object is saved and its admin and public pages carry no live markup; never a 500."""
    editor_client.raise_request_exception = False
    admin_url = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    form_id = f"{model._meta.model_name}_form"

    response = submit_form(editor_client, reverse(f"{admin_url}_add"), form_id, **{**fields, **changes})

    record_property("hostile_case", f"admin {model._meta.model_name}: {', '.join(changes)}")
    record_property("status", response.status_code)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert "errornote" in response.content.decode()
    else:
        saved = model.objects.get()
        urls = [reverse(f"{admin_url}_change", args=[saved.pk]), saved.get_absolute_url()]
        assert pages_without_live_markup(editor_client, urls, record_property)


@pytest.mark.parametrize("changes", ADMIN_ARTICLE_INPUTS.values(), ids=ADMIN_ARTICLE_INPUTS.keys())
def test_hostile_article_in_the_admin_is_saved_escaped_or_refused_never_a_500(editor_client, changes, record_property):
    author = AuthorFactory()
    fields = {"title": "Safe title", "slug": "safe-title", "author": str(author.pk), "summary": "Sum", "body": "Body"}
    fields.update(status="published", published_at_0="2026-01-01", published_at_1="10:00", last_updated_on="2026-01-01")

    assert_admin_add_is_saved_escaped_or_refused(editor_client, Article, fields, changes, record_property)


ADMIN_AUTHOR_INPUTS = {
    "hostile name": {"name": HOSTILE_TEXT[:100]},
    "name over 100 characters": {"name": "N" * 101},
    "slug with markup": {"slug": HOSTILE_TEXT},
    "NUL byte in bio": {"bio": "Bio\x00"},
    "3 MB bio": {"bio": "b" * 3_000_000},
    "script in bio": {"bio": HOSTILE_TEXT},
}


@pytest.mark.parametrize("changes", ADMIN_AUTHOR_INPUTS.values(), ids=ADMIN_AUTHOR_INPUTS.keys())
def test_hostile_author_in_the_admin_is_saved_escaped_or_refused_never_a_500(editor_client, changes, record_property):
    fields = {"name": "Safe Name", "slug": "safe-name", "bio": "About"}

    assert_admin_add_is_saved_escaped_or_refused(editor_client, Author, fields, changes, record_property)


LIVE_MARKUP = {
    "inline script": f"<p>x</p><script>{MARKER}()</script>",
    "event handler": "<img src=x onerror=alert(1)>",
    "javascript link": "<a href=' javascript:alert(1)'>x</a>",
    "data frame": "<iframe src='data:text/html,x'></iframe>",
    "marker in attribute name": f'<p {MARKER}="1">x</p>',
    "marker in a comment": f"<!-- {MARKER} -->",
    "JSON-LD breakout": f'<script type="application/ld+json">{{"a": "</p><b>{MARKER}"}}</script>',
}


@pytest.mark.parametrize("html", LIVE_MARKUP.values(), ids=LIVE_MARKUP.keys())
def test_the_audit_finds_live_markup(html):
    """The check the corpus relies on does see what it looks for."""
    assert unescaped_markup(html)


def test_the_audit_accepts_escaped_text_and_external_scripts():
    html = f'<script src="/static/x.js"></script><p title="&quot;{MARKER}">&lt;script&gt;{MARKER}</p>'

    assert unescaped_markup(html) == []


@pytest.mark.parametrize("name", ["Eve\r\nBcc: victim@example.com", "Eve\nX-Injected: 1", "Eve\x0bTab"])
def test_name_with_line_breaks_or_control_characters_is_refused_not_a_500_in_the_reply_email(article, name, mailoutbox):
    """The name goes into the reply notification's subject, where a line break would be a header injection."""
    parent = CommentFactory(article=article, user_email="grace@example.com", followup=True)
    client = BrowserClient(raise_request_exception=False)
    data = comment_form_data(client, article, replying_to=parent, name=name, comment=KEPT_COMMENT)

    response = client.post(reverse("comment-post"), data)

    assert response.status_code == 200
    assert "Enter your name on one line" in field_errors(response.content.decode(), "name")
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("tasks_run_at_once")
def test_reply_email_on_an_article_whose_title_has_a_line_break_is_sent_on_one_line(editor_client, mailoutbox):
    """A tampered admin post can save a title with a line break; the reply email's subject must not carry it."""
    data = form_data(editor_client.get(reverse("admin:blog_article_add")), "article_form")
    data.update(title="Phones\r\nBcc: victim@example.com", slug="phones", author=str(AuthorFactory().pk))
    data.update(summary="Sum", body="Body", status="published", published_at_0="2026-01-01", published_at_1="10:00")
    data.update(last_updated_on="2026-01-01")
    assert editor_client.post(reverse("admin:blog_article_add"), data).status_code == 302
    article = ArticleFactory._meta.model.objects.get()
    parent = CommentFactory(article=article, user_email="grace@example.com", followup=True)
    client = BrowserClient(raise_request_exception=False)

    response = client.post(reverse("comment-post"), comment_form_data(client, article, replying_to=parent))

    assert response.status_code == 302
    assert [message.subject for message in mailoutbox] == [
        "Ada Reader replied to your comment on “Phones Bcc: victim@example.com”"
    ]


HOSTILE_QUERIES = {
    "article page number not a number": ("blog:article", f"?cpage={MARKER}"),
    "article page number negative": ("blog:article", "?cpage=-1"),
    "article page number in exponent form": ("blog:article", "?cpage=9e99"),
    "article reply_to with markup": ("blog:article", f"?reply_to=<script>{MARKER}</script>"),
    "article reply_to with NUL": ("blog:article", "?reply_to=%00"),
    "home page number huge": ("blog:home", "?page=" + "9" * 30),
    "home page number with markup": ("blog:home", f"?page=<script>{MARKER}</script>"),
    "search with markup": ("blog:search", f"?q=<script>{MARKER}</script>"),
    "search with NUL": ("blog:search", "?q=phone%00s"),
    "search with malformed UTF-8": ("blog:search", "?q=%C3%28%FF"),
    "search with tsquery syntax": ("blog:search", "?q=!(%26%7C:*'\\"),
    "search 100 kB long": ("blog:search", "?q=" + "x" * 100_000),
    "search page huge": ("blog:search", "?q=phone&page=" + "9" * 30),
}


@pytest.mark.parametrize(("url_name", "query"), HOSTILE_QUERIES.values(), ids=HOSTILE_QUERIES.keys())
def test_hostile_query_string_gets_a_page_without_live_markup_never_a_500(article, url_name, query, record_property):
    client = BrowserClient(raise_request_exception=False)
    url = reverse(url_name, args=[article.slug] if url_name == "blog:article" else [])

    response = client.get(url + query)

    record_property("hostile_case", f"query: {url_name}{query[:40]}")
    record_property("status", response.status_code)
    assert response.status_code in {200, 400, 404}
    problems = unescaped_markup(response.content.decode())
    record_property("unescaped", len(problems))
    assert problems == []
