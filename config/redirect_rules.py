"""What a redirect (django.contrib.redirects) may do on this site, kept apart from blog/redirects.py (which records
redirects when addresses change):

- it leads only to a path on this site (`/…`, never `//host/…`, a scheme or a backslash): an editor's redirect to
  another site could, from `/.well-known/acme-challenge/…`, obtain a TLS certificate for this domain;
- nothing under `/.well-known/` redirects (certificate challenges, security.txt and the like are the site's own);
- it never names what readers cannot see yet: an old address of an article that is scheduled or no longer
  published answers 404, not a `Location` with its new slug, until the article is out.

The middleware wraps blog.redirects' own (which finds the redirect: paths, queries, WordPress's links).

Editors' forms are refused (RedirectForm, for the admin), and the middleware follows no redirect that breaks a rule
(rows stored before, or written some other way).
"""

from django import forms
from django.contrib.redirects.admin import RedirectAdmin
from django.contrib.redirects.models import Redirect
from django.urls import Resolver404, resolve

from blog.redirects import RedirectFallbackMiddleware

RESERVED_PREFIX = "/.well-known/"


def is_site_relative(path):
    return path.startswith("/") and not path.startswith("//") and "\\" not in path and ":" not in path.split("?")[0]


def is_reserved(path):
    return path.startswith(RESERVED_PREFIX) or path.rstrip("/") == RESERVED_PREFIX.rstrip("/")


def shows_something_unpublished(path):
    """Whether `path` is the address of an article or page readers cannot see now."""
    from blog.models import Article
    from pages.models import Page

    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return False
    slug = match.kwargs.get("slug")
    models = {"blog:article": Article, "pages:detail": Page}
    model = models.get(match.view_name)
    if model is None:
        return False
    hidden = model.objects.filter(slug=slug).exclude(pk__in=model.objects.published().values("pk"))
    return hidden.exists()


def may_follow(old_path, new_path):
    if is_reserved(old_path):
        return False
    if not new_path:
        return True  # 410 Gone.
    return is_site_relative(new_path) and not shows_something_unpublished(new_path)


class SiteRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """blog.redirects' middleware, following only redirects these rules allow (else the 404, or the page, stands)."""

    def process_request(self, request):
        answer = super().process_request(request)
        if answer is not None and not may_follow(request.path, answer.get("Location", "")):
            return None
        return answer

    def process_response(self, request, response):
        answer = super().process_response(request, response)
        if answer is response:
            return response
        if not may_follow(request.path, answer.get("Location", "")):
            return response
        return answer


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]

    def clean_old_path(self):
        old_path = self.cleaned_data["old_path"]
        if is_reserved(old_path):
            raise forms.ValidationError("Addresses under /.well-known/ are reserved for the site itself.")
        return old_path

    def clean_new_path(self):
        new_path = self.cleaned_data["new_path"]
        if new_path and not is_site_relative(new_path):
            raise forms.ValidationError(
                "Redirect only to a path on this site, starting with a single “/” (such as /articles/new-slug/)."
            )
        return new_path


class SiteRedirectAdmin(RedirectAdmin):
    form = RedirectForm


def register_redirect_admin(site):
    if site.is_registered(Redirect):
        site.unregister(Redirect)
    site.register(Redirect, SiteRedirectAdmin)
