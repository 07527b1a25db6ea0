"""Project-level configuration of the contrib and third-party apps (referenced from INSTALLED_APPS)."""

from django.contrib.admin.apps import AdminConfig
from django_comments_xtd.apps import CommentsXtdConfig


class BlogAdminConfig(AdminConfig):
    default_site = "config.admin.BlogAdminSite"

    def ready(self):
        super().ready()  # Registers every app's admin.
        from django.contrib import admin

        from .admin import add_enrolment_link_action, hide_second_factor_secrets
        from .redirect_rules import register_redirect_admin

        hide_second_factor_secrets(admin.site)
        register_redirect_admin(admin.site)
        add_enrolment_link_action(admin.site)


class ThreadedCommentsConfig(CommentsXtdConfig):
    """django_comments_xtd, named for what editors do there: "Home › Moderation › Comments" in the breadcrumbs,
    not "Comments Xtd" (nor "Comments › Comments")."""

    verbose_name = "Moderation"
