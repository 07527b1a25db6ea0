"""Tags for page metadata: absolute and canonical URLs, the site's origin for print styles, an article's JSON-LD."""

import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, to_locale

from blog.seo import absolute_url, article_json_ld

register = template.Library()


def escape_for_script(data):
    """As django.utils.html.json_script escapes, so the JSON cannot close the <script> element
    (str.replace: translate() with a table cost tens of microseconds a page)."""
    return data.replace(">", "\\u003E").replace("<", "\\u003C").replace("&", "\\u0026")


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """`path` as an absolute URL on the site's domain."""
    return absolute_url(context["request"], path)


@register.simple_tag(takes_context=True)
def origin_css_string(context):
    """The site's origin ("https://blog.example.com") as a CSS string: a printed page writes it before the
    relative links of a body (static/css/site.css). Any character an address has no need of is a CSS escape."""
    origin = absolute_url(context["request"], "")
    return '"' + re.sub(r"[^\w.:/\[\]-]", lambda match: f"\\{ord(match[0]):x} ", origin) + '"'


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's canonical URL: its path, and the number of the list's page the view shows if not 1.

    Never from the query string: a page stored for every reader is keyed by the parameters its view reads, so
    `?page=99` on an article must not reach the page (config.pagecache)."""
    request = context["request"]
    page = context.get("page_obj")
    suffix = f"?page={page.number}" if page is not None and page.number > 1 else ""
    return absolute_url(request, request.path) + suffix


@register.simple_tag
def og_locale():
    """The active language as OpenGraph wants it: "en-gb" -> "en_GB"."""
    return to_locale(get_language())


@register.simple_tag(takes_context=True)
def json_ld(context, article):
    """A <script type="application/ld+json"> with the article's schema.org NewsArticle."""
    data = json.dumps(article_json_ld(context["request"], article), cls=DjangoJSONEncoder, ensure_ascii=False)
    # As django.utils.html.json_script does (its type is application/json): <, > and & escaped in the JSON.
    safe_json = mark_safe(escape_for_script(data))  # noqa: S308
    return format_html('<script type="application/ld+json">{}</script>', safe_json)
