"""The project's admin site: its titles, and one "Comments" section for everything editors moderate with."""

from django.contrib import admin


class BlogAdminSite(admin.AdminSite):
    site_header = "Blog administration"
    site_title = "Blog admin"
    index_title = "Articles, authors and comments"
    # Apps shown inside another app's section: xtd's models (the comments, blocked domains) join the comments
    # app's blocked words, so moderation is in one place on the index, in the sidebar and on either app's page.
    sections_merged_into = {"django_comments_xtd": "comments"}

    def get_app_list(self, request, app_label=None):
        sections = {section["app_label"]: section for section in super().get_app_list(request)}
        shown_in = {label: label for label in sections}
        for source, target in self.sections_merged_into.items():
            if source in sections and target in sections:
                models = [*sections[target]["models"], *sections.pop(source)["models"]]
                sections[target]["models"] = sorted(models, key=lambda model: model["name"])
                shown_in[source] = target
        if app_label is None:
            return list(sections.values())
        return [sections[shown_in[app_label]]] if app_label in shown_in else []
