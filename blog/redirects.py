"""Old addresses keep working: when an object's public path changes, a django.contrib.redirects Redirect answers
the old one with a 301 to the new one (``RedirectFallbackMiddleware`` here, looked up only on a 404).

Chains are flattened as they form: redirects that led to the old path now lead straight to the new one,
and a redirect from the new path (the object took back an old address) is dropped, as it would loop.

How an old address is matched (Django's own middleware matched the full path with its query, so any query
string answered 404):

- By its path, decoded (``request.path``): ``/greek/%ce%b5%cf%80/``, ``/greek/%CE%B5%CF%80/`` and the raw UTF-8
  a browser may send are one address, as they are to WordPress. ``normal_path()`` is the form stored; redirects
  stored percent-encoded before it are still found. A missing trailing slash is added, as WordPress does.
- The query: tracking parameters (``utm_*``, ``fbclid``, …) and the site's own (``page``, ``cpage``, ``q``) are
  carried to the new address; others (WordPress's ``replytocom``, a held comment's ``unapproved`` and
  ``moderation-hash``) are dropped.
- WordPress's plain permalinks, ``/?p=ID``, ``/?page_id=ID`` and ``/?attachment_id=ID``, which its feeds give as
  every item's ``guid``: stored with their query (``/?p=123``) and answered before the home page is.
- Under a moved article: its ``card.png``, ``comments/feed/`` (and ``atom/``), WordPress's ``feed/`` and
  ``comment-page-N/`` follow it; under a moved list (an archive, an author), WordPress's ``page/N/`` is its
  ``?page=N``, and ``/page/N/`` the home page's.
"""

import re
from urllib.parse import parse_qsl, unquote, urlencode

from django import forms
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models.signals import post_save, pre_save
from django.http import HttpResponseGone, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.deprecation import MiddlewareMixin
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _

# WordPress's plain permalinks: the post, page or attachment with that id.
ID_PARAMETERS = ("p", "page_id", "attachment_id")
# Query parameters carried to the new address: the site's own, and those analytics tools add to links.
SITE_PARAMETERS = frozenset({"page", "cpage", "q"})
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref"})
# What may follow a moved page's old path, where it goes under the new one, and on which pages (an article's,
# or a list's).
ARTICLE = frozenset({"blog:article"})
LISTS = frozenset({"blog:home", "blog:category", "blog:tag", "authors:detail"})
SUFFIXES = (
    (re.compile(r"card\.png$"), lambda match: "card.png", ARTICLE),
    (re.compile(r"comments/feed/(atom/)?$"), lambda match: match[0], ARTICLE),
    (
        re.compile(r"feed/(?:(atom)/|rss2?/|rdf/)?$"),
        lambda match: "comments/feed/" + ("atom/" if match[1] else ""),
        ARTICLE,
    ),
    (re.compile(r"comment-page-(\d+)/$"), lambda match: f"?cpage={match[1]}#comments", ARTICLE),
    (re.compile(r"page/(\d+)/$"), lambda match: f"?page={match[1]}", LISTS),
)
HOME_PAGE = re.compile(r"^/page/(\d+)/$")  # WordPress's front page, paged


def normal_path(path):
    """An old address as stored and looked up: its path decoded (as ``request.path`` is) with repeated slashes
    made one (WordPress's links sometimes have them, ``//greek/…``, and it answers either), its query as it is."""
    path, mark, query = path.partition("?")
    return re.sub(r"/{2,}", "/", unquote(path)) + mark + query


def kept_query(query_string):
    """The parameters of an old address's query that the new address keeps (see the module docstring)."""
    kept = [
        (name, value)
        for name, value in parse_qsl(query_string, keep_blank_values=True)
        if name in SITE_PARAMETERS or name in TRACKING_PARAMETERS or name.startswith("utm_")
    ]
    return urlencode(kept)


def with_query(new_path, query):
    if not query:
        return new_path
    path, _, fragment = new_path.partition("#")
    path = f"{path}{'&' if '?' in path else '?'}{query}"
    return f"{path}#{fragment}" if fragment else path


def _forms(path):
    """The forms a path may have been stored in: decoded, and percent-encoded in upper or lower case."""
    encoded = escape_uri_path(path)
    return dict.fromkeys([path, encoded, re.sub(r"%[0-9A-F]{2}", lambda match: match[0].lower(), encoded)])


def _candidates(request):
    path = request.path
    paths = list(dict.fromkeys([path, normal_path(path)]))
    if settings.APPEND_SLASH and not path.endswith("/"):
        paths.append(path + "/")
    candidates = [request.get_full_path()]  # a redirect stored with its query, as Django's middleware looked up
    for each in paths:
        candidates.extend(_forms(each))
    return list(dict.fromkeys(candidates))


def _answer(redirect, query, suffix=""):
    if not redirect.new_path:
        return HttpResponseGone()
    return HttpResponsePermanentRedirect(with_query(redirect.new_path + suffix, query))


def _view_name(path):
    try:
        return resolve(path.partition("?")[0]).view_name
    except Resolver404:
        return None


class RedirectFallbackMiddleware(MiddlewareMixin):
    """On a 404, the old address's redirect (see the module docstring); WordPress's ``/?p=ID`` before the view."""

    def process_request(self, request):
        if request.method not in ("GET", "HEAD") or request.path not in ("/", "/index.php"):
            return None
        for name in ID_PARAMETERS:
            value = request.GET.get(name, "")
            if value.isdigit():
                redirect = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=f"/?{name}={int(value)}").first()
                if redirect is not None:
                    query = kept_query(request.META.get("QUERY_STRING", ""))
                    return _answer(redirect, query)
        return None

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        query = kept_query(request.META.get("QUERY_STRING", ""))
        candidates = _candidates(request)
        found = {r.old_path: r for r in Redirect.objects.filter(site_id=settings.SITE_ID, old_path__in=candidates)}
        for candidate in candidates:
            if candidate in found:
                return _answer(found[candidate], query)
        if home := HOME_PAGE.match(request.path):
            return HttpResponsePermanentRedirect(with_query(f"/?page={home[1]}", query))
        for pattern, suffix_for, views in SUFFIXES:
            match = pattern.search(request.path)
            if match is None or not match.start() or request.path[match.start() - 1] != "/":
                continue
            prefix = request.path[: match.start()]
            redirect = Redirect.objects.filter(site_id=settings.SITE_ID, old_path__in=list(_forms(prefix))).first()
            # The page moved, or it is still where it was (a WordPress path this site shares, as /category/news/).
            target = redirect.new_path if redirect is not None else prefix
            new_path = target + suffix_for(match)
            if target and new_path.partition("?")[0] != request.path and _view_name(target) in views:
                return HttpResponsePermanentRedirect(with_query(new_path, query))
            break
        return response


def path_changed(old_path, new_path):
    """Redirect `old_path` (and whatever led to it) to `new_path`."""
    if not old_path or not new_path or old_path == new_path:
        return
    site_redirects = Redirect.objects.filter(site_id=settings.SITE_ID)
    site_redirects.filter(new_path=old_path).update(new_path=new_path)
    site_redirects.filter(old_path=new_path).delete()
    Redirect.objects.update_or_create(site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path})


def redirect_from(path):
    """The redirect readers following `path` get, if any."""
    return Redirect.objects.filter(site_id=settings.SITE_ID, old_path=path).first()


def stored_public_path(instance):
    """The path readers see the saved `instance` at (None if new, or not public)."""
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return None
    return stored.stored_public_path() if hasattr(stored, "stored_public_path") else stored.public_path()


def remember_public_path(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._stored_public_path = stored_public_path(instance)


def redirect_changed_path(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old_path, new_path = getattr(instance, "_stored_public_path", None), instance.public_path()
    if old_path and new_path is None:
        # Unpublished: redirects to it go too, or their Location would show readers where the draft is.
        Redirect.objects.filter(site_id=settings.SITE_ID, new_path=old_path).delete()
    path_changed(old_path, new_path)


def follow_path_changes(model):
    """Connect `model` (with a public_path() method): each save that moves it leaves a redirect behind."""
    uid = f"redirects-{model._meta.label_lower}"
    pre_save.connect(remember_public_path, sender=model, dispatch_uid=uid)
    post_save.connect(redirect_changed_path, sender=model, dispatch_uid=uid)


class RedirectedPathFormMixin(forms.Form):
    """Admin forms: a new address that is still redirected elsewhere is refused unless the editor confirms,
    and then the redirect is deleted (the object takes the address over)."""

    replace_redirect = forms.BooleanField(
        label=_("Take over a redirected address"),
        required=False,
        help_text=_(
            "Only when the slug is refused because its address redirects readers elsewhere: tick to end that "
            "redirect and use the address for this."
        ),
    )
    redirect_error_field = "slug"

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        new_path = self.instance.public_path()
        if not new_path or new_path == stored_public_path(self.instance):
            return
        redirect = redirect_from(new_path)
        if redirect is None or redirect.new_path == stored_public_path(self.instance):
            return  # None, or one that leads back here: saving drops it.
        if self.cleaned_data.get("replace_redirect"):
            self.redirect_to_replace = redirect
            return
        self.add_error(
            self.redirect_error_field,
            _(
                "The address %(old)s still redirects readers to %(new)s (it was changed). Choose another slug, "
                "or tick “Take over a redirected address” below to end that redirect."
            )
            % {"old": redirect.old_path, "new": redirect.new_path},
        )
        # Also beside the box, so that its collapsed fieldset opens.
        self.add_error("replace_redirect", _("Tick to end the redirect and use %(old)s here.") % {"old": new_path})

    def save(self, commit=True):
        redirect = getattr(self, "redirect_to_replace", None)
        if redirect is not None:
            Redirect.objects.filter(pk=redirect.pk).delete()
        return super().save(commit=commit)
