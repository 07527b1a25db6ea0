"""The four staff roles, as Django groups with permissions: one definition (ROLES), applied by the data migration
that created the groups (staff/migrations/0003_roles.py) and again after every `migrate` (a post_migrate receiver,
StaffConfig.ready), so a change to ROLES takes effect on the next migrate without a new migration.

- Contributors write their own drafts and submit them for review.
- Authors also publish, schedule and update their own articles.
- Editors (the group every editor was in before the roles, kept under its name) review, publish and edit every
  author's articles and moderate comments, and manage pages, sections, tags, images and redirects.
- Administrators also manage accounts, roles and the site's settings.

Which article is one's own is decided in the admin (blog.admin.ArticleAdmin, authors.admin.AuthorAdmin), from the
author profile linked to the account. The contributor and author roles get exactly what is listed (a permission
granted to them by hand is taken away again, so they never gain power by accident); the editor and administrator
roles get at least what is listed, so a permission another app's migration grants to Editors stays.
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

EVERY = ("add", "change", "delete", "view")


def model(app_label, model_name, actions=EVERY):
    return [f"{app_label}.{action}_{model_name}" for action in actions]


@dataclass(frozen=True)
class Role:
    group: str
    permissions: tuple[str, ...]
    exact: bool
    # Another role whose group's permissions this one has too (those granted by other migrations included).
    includes: "Role | None" = None


WRITING = (
    *model("blog", "article"),
    "blog.view_historicalarticle",
    "blog.view_articleupdate",
    "blog.view_category",
    "blog.view_tag",
    "blog.add_tag",
    "images.view_image",
    "authors.view_author",
)
PUBLISHING = (
    *WRITING,
    "blog.publish_article",
    *model("blog", "articleupdate"),
    "images.add_image",
)
EDITING = (
    *PUBLISHING,
    "blog.review_article",
    *model("blog", "historicalarticle"),
    *model("blog", "category"),
    *model("blog", "tag"),
    *model("authors", "author"),
    *model("images", "image"),
    *model("pages", "page"),
    *model("pages", "historicalpage"),
    *model("redirects", "redirect"),
    *model("django_comments", "comment"),
    "django_comments.can_moderate",
    *model("django_comments", "commentflag"),
    *model("django_comments_xtd", "xtdcomment"),
    "django_comments_xtd.can_moderate",
    *model("django_comments_xtd", "blacklisteddomain"),
    *model("comments", "blockedword"),
)
ADMINISTERING = (
    *EDITING,
    *model("auth", "user"),
    *model("auth", "group"),
    *model("sites", "site"),
    *model("otp_totp", "totpdevice", ("view", "delete")),
    *model("otp_static", "staticdevice", ("view", "delete")),
)

CONTRIBUTOR = Role("Contributors", WRITING, exact=True)
AUTHOR = Role("Authors", PUBLISHING, exact=True)
EDITOR = Role("Editors", EDITING, exact=False)
ADMINISTRATOR = Role("Administrators", ADMINISTERING, exact=False, includes=EDITOR)
ROLES = (CONTRIBUTOR, AUTHOR, EDITOR, ADMINISTRATOR)


def permission_objects(permissions, names):
    """The Permission rows named "app_label.codename" (one query); a name whose app is not migrated yet is left
    out, and the next migrate adds it."""
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(permissions.filter(query))


def sync_roles(apps, using="default"):
    """Create the role groups and give them ROLES' permissions (with the app registry `apps`: a migration's
    historical one, or the project's)."""
    for app_config in apps.get_app_configs():
        # Permissions are normally created after all migrations, app by app: make sure every one exists now.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {}
    for role in ROLES:
        group = groups[role] = Group.objects.using(using).get_or_create(name=role.group)[0]
        wanted = permission_objects(Permission.objects.using(using), role.permissions)
        if role.includes is not None:
            wanted += list(groups[role.includes].permissions.all())
        if role.exact:
            group.permissions.set(wanted)
        else:
            group.permissions.add(*wanted)


def sync_roles_after_migrate(sender, apps=global_apps, using="default", **kwargs):
    """`migrate` sends its historical registry; `flush` sends none."""
    sync_roles(apps, using)
