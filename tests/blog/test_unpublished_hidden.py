"""Nothing unpublished is reachable or discoverable by an anonymous reader, through any URL the project exposes.

The walk fills every URL pattern's parameters with what an attacker would try (the unpublished articles' slugs and
pks, content type ids, comment pks, the author's slug), requests each URL, follows no redirect, and looks for the
draft's, the scheduled article's and the one under review's titles and slugs in the status, the Location header
and the body.
"""

import datetime
import itertools
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from blog.models import Article
from tests.comment_factories import CommentFactory
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

GROUP = re.compile(r"\(\?P<\w+>[^)]*\)|\((?!\?)[^)]*\)")


def url_regexes(patterns=None, prefix=""):
    """Every URL pattern's full regex (prefixes included), walking the resolver."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from url_regexes(pattern.url_patterns, prefix + regex.removesuffix("$").removesuffix("\\Z"))
        elif isinstance(pattern, URLPattern):
            yield prefix + regex


def fill(regex, values):
    """The URLs the regex matches with each combination of `values` in its groups."""
    template = regex.removesuffix("$").removesuffix("\\Z").replace("\\.", ".").replace("\\/", "/")
    groups = GROUP.findall(template)
    if re.search(r"[\^$*+?\[\]\\|]", GROUP.sub("", template)):
        return []  # Not a plain path around its groups (none in this project).
    urls = []
    for combination in itertools.product(values, repeat=len(groups)):
        url = template
        for group, value in zip(groups, combination, strict=True):
            url = url.replace(group, str(value), 1)
        urls.append("/" + url)
    return urls


@pytest.fixture
def unpublished(settings):
    settings.COMMENTS_HOLD_FIRST_COMMENT = False
    author = AuthorFactory(slug="kept-author")
    published = ArticleFactory(author=author, title="Openly Published Story", slug="openly-published-story")
    draft = ArticleFactory(
        author=author, title="Quokka Draft Headline", slug="quokka-draft-headline", status=Article.Status.DRAFT
    )
    scheduled = ArticleFactory(
        author=author,
        title="Wombat Embargoed Headline",
        slug="wombat-embargoed-headline",
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    pending = ArticleFactory(
        author=author, title="Numbat Review Headline", slug="numbat-review-headline", status=Article.Status.PENDING
    )
    comments = [
        CommentFactory(article=draft, comment="On the draft."),
        CommentFactory(article=pending, comment="On the article under review."),
        CommentFactory(article=scheduled, comment="On the scheduled article."),
        CommentFactory(article=published, comment="Held on the published article.", is_public=False),
    ]
    return {"published": published, "draft": draft, "scheduled": scheduled, "pending": pending, "comments": comments}


def probe_values(unpublished):
    draft, scheduled, pending = unpublished["draft"], unpublished["scheduled"], unpublished["pending"]
    content_types = [ContentType.objects.get_for_model(model).pk for model in (Article, XtdComment)]
    return [
        draft.slug,
        scheduled.slug,
        pending.slug,
        draft.pk,
        scheduled.pk,
        pending.pk,
        *content_types,
        *(comment.pk for comment in unpublished["comments"]),
        "kept-author",
        f"{draft.slug}.png",
    ]


def leaks(url, response, unpublished):
    """What of the unpublished articles this answer gives away (empty when nothing)."""
    found = []
    for article in (unpublished["draft"], unpublished["scheduled"], unpublished["pending"]):
        secrets = {article.title.split()[0].lower(), article.slug}
        echoed = {secret for secret in secrets if secret in url.lower()}
        location = response.get("Location", "").lower()
        body = b"".join(response).decode("utf-8", "replace").lower() if not response.streaming else ""
        for secret in secrets - echoed:
            if secret in location:
                found.append(f"{url}: Location names {secret!r}")
            if secret in body:
                found.append(f"{url}: body names {secret!r}")
        path = url.split("?")[0]
        url_names_it = article.slug in path or re.search(rf"/{article.pk}/", path)
        if url_names_it and response.status_code == 200:
            found.append(f"{url}: 200 for a URL naming an unpublished article")
        if url_names_it and response.status_code in (301, 302) and "/admin/login/" not in location:
            found.append(f"{url}: redirects to {location}")
    return found


def test_no_url_pattern_shows_an_anonymous_reader_a_draft_or_a_scheduled_article(client, unpublished, record_property):
    values = probe_values(unpublished)
    urls = set()
    for regex in url_regexes():
        for url in fill(regex, values):
            try:
                resolve(url)
            except Resolver404:
                continue
            urls.add(url)
            if "(" not in regex:  # Parameterless pages (home, search, feeds): also search for the titles.
                urls.update(f"{url}?q={word}" for word in ("quokka", "wombat"))
    assert len(urls) > 100  # The walk reached the comments', the blog's, the authors' and the admin's patterns.

    found = [leak for url in sorted(urls) for leak in leaks(url, client.get(url), unpublished)]

    record_property("unpublished_probed", len(urls))
    record_property("unpublished_found", len(found))
    assert found == []


def test_the_comment_redirect_leads_to_a_published_article(client, unpublished):
    article = unpublished["published"]
    content_type = ContentType.objects.get_for_model(Article)

    response = client.get(f"/comments/cr/{content_type.pk}/{article.pk}/")

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("which", ["draft", "scheduled", "pending"])
def test_the_comment_redirect_does_not_reveal_an_unpublished_article(client, unpublished, which):
    content_type = ContentType.objects.get_for_model(Article)

    response = client.get(f"/comments/cr/{content_type.pk}/{unpublished[which].pk}/")

    assert response.status_code == 404


def test_the_comment_redirect_does_not_map_a_held_comment_to_its_article(client, unpublished):
    held = unpublished["comments"][2]
    content_type = ContentType.objects.get_for_model(XtdComment)

    response = client.get(f"/comments/cr/{content_type.pk}/{held.pk}/")

    assert response.status_code == 404
