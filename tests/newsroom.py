"""Staff in each role of the newsroom (staff.roles), with an author profile of their own, for the newsroom tests."""

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.text import slugify

from staff.roles import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR

from .factories import AuthorFactory, UserFactory
from .forms import BrowserClient, submit_form

ROLES = {"contributor": CONTRIBUTOR, "author": AUTHOR, "editor": EDITOR, "administrator": ADMINISTRATOR}
PASSWORD = "a-long-test-password"


def staff_member(role_name, *, username=None, profile=True):
    """A staff account in the role `role_name` (a key of ROLES), writing as an author profile of its own."""
    username = username or role_name
    user = UserFactory(username=username, is_staff=True, first_name=username.title())
    user.groups.add(Group.objects.get(name=ROLES[role_name].group))
    if profile:
        AuthorFactory(name=f"{username.title()} Writer", slug=f"{username}-writer", user=user)
    return user


def client_for(user):
    client = BrowserClient()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:blog_article_change", args=[article.pk])


def save_with(client, article, **changes):
    """Save the article's admin change form with `changes` as staff would; the save must succeed."""
    response = submit_form(client, change_url(article), "article_form", **changes)
    assert response.status_code == 302, response.context["adminform"].form.errors


def add_article(client, title, *, author, published_at, **fields):
    """Post the admin's add-article form as staff would: `title` (slug made from it) by `author`, published (or
    scheduled) at `published_at`; `fields` fill in or change others."""
    data = {"slug": slugify(title), "body": "A paragraph.", **fields}
    return submit_form(
        client,
        reverse("admin:blog_article_add"),
        "article_form",
        title=title,
        author=str(author.pk),
        status="published",
        published_at_0=published_at.strftime("%d/%m/%Y"),
        published_at_1=published_at.strftime("%H:%M:%S"),
        **data,
    )
