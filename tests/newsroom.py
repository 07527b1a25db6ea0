"""Staff in each role of the newsroom (staff.roles), with an author profile of their own, for the newsroom tests."""

from django.contrib.auth.models import Group
from django.urls import reverse

from staff.roles import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR

from .factories import AuthorFactory, UserFactory
from .forms import BrowserClient

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
