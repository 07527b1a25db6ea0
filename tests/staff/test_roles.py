"""The four staff roles (staff.roles) as groups, created by the data migration and kept in step with ROLES after
every migrate; the Editors group every editor was in is the Editor role, with its members and its rights."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from staff.roles import ADMINISTRATOR, AUTHOR, CONTRIBUTOR, EDITOR, ROLES
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


def codenames(role):
    group = Group.objects.get(name=role.group)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_is_a_group_with_every_permission_it_lists():
    for role in ROLES:
        assert set(role.permissions) <= codenames(role), role.group


def test_contributors_cannot_publish_review_or_moderate():
    assert not codenames(CONTRIBUTOR) & {
        "blog.publish_article",
        "blog.review_article",
        "django_comments_xtd.change_xtdcomment",
        "pages.change_page",
        "auth.change_user",
    }


def test_authors_publish_but_do_not_review_or_moderate():
    have = codenames(AUTHOR)

    assert "blog.publish_article" in have
    assert not have & {"blog.review_article", "django_comments_xtd.can_moderate", "pages.change_page"}


def test_editors_keep_what_they_had_and_review_but_do_not_manage_accounts():
    have = codenames(EDITOR)

    assert {"blog.change_article", "blog.review_article", "django_comments_xtd.can_moderate"} <= have
    assert {"authors.add_author", "redirects.change_redirect", "comments.change_blockedword"} <= have
    assert not have & {"auth.change_user", "auth.change_group"}


def test_administrators_have_every_editor_permission_and_manage_accounts():
    assert codenames(EDITOR) | {"auth.change_user", "auth.change_group", "sites.change_site"} <= codenames(
        ADMINISTRATOR
    )


def test_an_editor_of_before_the_roles_keeps_the_editor_role():
    editor = EditorFactory()

    assert editor.has_perm("blog.review_article")
    assert editor.has_perm("django_comments_xtd.can_moderate")


def test_migrate_puts_back_a_role_permission_taken_away_and_takes_away_one_added_to_contributors():
    contributors = Group.objects.get(name=CONTRIBUTOR.group)
    contributors.permissions.remove(Permission.objects.get(codename="add_article"))
    contributors.permissions.add(Permission.objects.get(codename="publish_article"))

    call_command("migrate", verbosity=0)

    assert "blog.add_article" in codenames(CONTRIBUTOR)
    assert "blog.publish_article" not in codenames(CONTRIBUTOR)


def test_migrate_leaves_a_permission_granted_to_editors_elsewhere():
    editors = Group.objects.get(name=EDITOR.group)
    editors.permissions.add(Permission.objects.get(codename="change_user"))

    call_command("migrate", verbosity=0)

    assert "auth.change_user" in codenames(EDITOR)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_site_and_puts_the_roles_back():
    call_command("flush", interactive=False, verbosity=0)

    assert set(Group.objects.values_list("name", flat=True)) == {role.group for role in ROLES}
    assert "blog.publish_article" in codenames(AUTHOR)
