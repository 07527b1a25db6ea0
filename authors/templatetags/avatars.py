"""Avatars: an author's photo in several sizes (srcset), else initials drawn locally (no Gravatar).

A simple tag building its HTML with format_html, not an inclusion template: the comment thread
draws one avatar per comment, and a template render each would dominate the page's cost.
"""

from functools import lru_cache
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from authors.models import avatar_colour_for, initials_for
from authors.renditions import fallback_url, srcset

register = template.Library()

INITIALS_SVG = (
    '<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 48 48" aria-hidden="true" focusable="false">'
    '<circle cx="24" cy="24" r="24" fill="{colour}"/>'
    '<text x="24" y="24" dy=".35em" text-anchor="middle" fill="#fff" font-size="18" '
    'font-family="system-ui, sans-serif" font-weight="600">{initials}</text></svg>'
)
PHOTO_PICTURE = (
    '<picture><source type="image/webp" srcset="{webp}" sizes="{size}px">'
    '<img class="avatar" src="{src}" srcset="{jpeg}" sizes="{size}px" alt="" width="{size}" height="{size}" '
    'loading="lazy"></picture>'
)


@register.simple_tag
def avatar(name, size=48, photo=None):
    if photo:
        return format_html(
            PHOTO_PICTURE,
            webp=srcset(photo.name, "webp"),
            jpeg=srcset(photo.name, "jpg"),
            src=fallback_url(photo.name, size),
            size=size,
        )
    return mark_safe(initials_avatar(name, size))


@lru_cache(maxsize=4096)
def initials_avatar(name, size):
    """The initials avatar as a plain string (html.escape, as templates escape), remembered per name and size:
    a page of comments draws one per comment."""
    return INITIALS_SVG.format(size=int(size), colour=avatar_colour_for(name), initials=escape(initials_for(name)))
