"""The permission matrix of the newsroom: each role (staff.roles) against each admin page and action, by the
requests a browser sends and by crafted ones the pages never offer (blog.admin.ArticleAdmin's rules)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import form_data
from tests.newsroom import change_url, client_for, staff_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_password_hashes")]

ROLE_NAMES = ["contributor", "author", "editor", "administrator"]


@pytest.fixture
def desk():
    """Every role's account, a reviewer's client (for forms the others cannot open) and a guest's draft."""
    users = {name: staff_member(name) for name in ROLE_NAMES}
    return {
        "users": users,
        "reviewer": client_for(staff_member("editor", username="chief")),
        "guest_draft": ArticleFactory(author=AuthorFactory(name="Guest"), status=Article.Status.DRAFT),
    }


def own_article(user, **fields):
    return ArticleFactory(author=user.author, **{"status": Article.Status.DRAFT, **fields})


def post_form(client, article, reader_client=None, button=None, **changes):
    """Post the article's change form as `client`, the form read by `reader_client` (default: the same client)."""
    data = {**form_data((reader_client or client).get(change_url(article)), "article_form"), **changes}
    if button:
        data[button] = "1"
    response = client.post(change_url(article), data)
    article.refresh_from_db()
    return response


def in_a_week():
    moment = timezone.localtime() + datetime.timedelta(days=7)
    return {"published_at_0": moment.strftime("%d/%m/%Y"), "published_at_1": "09:00:00"}


def lists_articles(desk, user, client):
    return client.get(reverse("admin:blog_article_changelist")).status_code == 200


def views_own(desk, user, client):
    return client.get(change_url(own_article(user))).status_code == 200


def views_others(desk, user, client):
    return client.get(change_url(desk["guest_draft"])).status_code == 200


def adds(desk, user, client):
    return client.get(reverse("admin:blog_article_add")).status_code == 200


def changes_own_draft(desk, user, client):
    article = own_article(user)
    post_form(client, article, title="A better title")
    return article.title == "A better title"


def changes_others(desk, user, client):
    """Crafted: the form as a reviewer reads it, posted by `user`."""
    article = desk["guest_draft"]
    post_form(client, article, reader_client=desk["reviewer"], title="Taken over")
    return article.title == "Taken over"


def deletes_own_draft(desk, user, client):
    article = own_article(user)
    client.post(reverse("admin:blog_article_delete", args=[article.pk]), {"post": "yes"})
    return not Article.objects.filter(pk=article.pk).exists()


def deletes_others(desk, user, client):
    article = desk["guest_draft"]
    client.post(reverse("admin:blog_article_delete", args=[article.pk]), {"post": "yes"})
    return not Article.objects.filter(pk=article.pk).exists()


def publishes_own(desk, user, client):
    """Crafted for a contributor: their form offers no "Published" status."""
    article = own_article(user)
    post_form(client, article, status=Article.Status.PUBLISHED)
    return article.status == Article.Status.PUBLISHED


def schedules_own(desk, user, client):
    article = own_article(user)
    post_form(client, article, status=Article.Status.PUBLISHED, **in_a_week())
    return article.status == Article.Status.PUBLISHED and not article.is_published()


def adds_published(desk, user, client):
    """Crafted for a contributor: a new article posted as published."""
    data = {
        **form_data(client.get(reverse("admin:blog_article_add")), "article_form"),
        "title": "Straight out",
        "slug": "straight-out",
        "body": "Text.",
        "author": str(user.author.pk),
        "status": Article.Status.PUBLISHED,
    }
    client.post(reverse("admin:blog_article_add"), data)
    return Article.objects.filter(slug="straight-out", status=Article.Status.PUBLISHED).exists()


def submits_own(desk, user, client):
    article = own_article(user)
    post_form(client, article, button="_submit_for_review")
    return article.status == Article.Status.PENDING


def sends_back(desk, user, client):
    article = ArticleFactory(author=desk["guest_draft"].author, status=Article.Status.PENDING)
    post_form(client, article, reader_client=desk["reviewer"], button="_send_back", send_back_note="Shorter, please.")
    return article.status == Article.Status.DRAFT and article.review_note == "Shorter, please."


def sends_back_own(desk, user, client):
    """Crafted: the owner of a pending article posts the reviewer's "Send back" button."""
    article = own_article(user, status=Article.Status.PENDING)
    post_form(client, article, reader_client=desk["reviewer"], button="_send_back", send_back_note="Fine by me.")
    return article.review_note == "Fine by me."


def changes_own_published(desk, user, client):
    article = own_article(user, status=Article.Status.PUBLISHED)
    post_form(client, article, reader_client=desk["reviewer"], title="Edited after publication")
    return article.title == "Edited after publication"


def moderates_comments(desk, user, client):
    return client.get(reverse("admin:django_comments_xtd_xtdcomment_changelist")).status_code == 200


def manages_pages(desk, user, client):
    return client.get(reverse("admin:pages_page_add")).status_code == 200


def manages_accounts(desk, user, client):
    return client.get(reverse("admin:auth_user_changelist")).status_code == 200


# Which roles may: contributor, author, editor, administrator.
MATRIX = {
    lists_articles: (True, True, True, True),
    views_own: (True, True, True, True),
    views_others: (False, False, True, True),
    adds: (True, True, True, True),
    changes_own_draft: (True, True, True, True),
    changes_others: (False, False, True, True),
    changes_own_published: (False, True, True, True),
    deletes_own_draft: (True, True, True, True),
    deletes_others: (False, False, True, True),
    publishes_own: (False, True, True, True),
    adds_published: (False, True, True, True),
    schedules_own: (False, True, True, True),
    submits_own: (True, True, True, True),
    sends_back: (False, False, True, True),
    sends_back_own: (False, False, True, True),
    moderates_comments: (False, False, True, True),
    manages_pages: (False, False, True, True),
    manages_accounts: (False, False, False, True),
}


@pytest.mark.parametrize(
    ("action", "role", "allowed"),
    [
        pytest.param(action, role, allowed, id=f"{role}-{action.__name__}")
        for action, row in MATRIX.items()
        for role, allowed in zip(ROLE_NAMES, row, strict=True)
    ],
)
def test_each_role_may_do_what_its_role_allows_and_nothing_else(desk, action, role, allowed):
    user = desk["users"][role]

    assert action(desk, user, client_for(user)) is allowed
