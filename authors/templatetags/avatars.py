"""Avatars: an author's photo in several sizes (srcset), else initials drawn locally (no Gravatar)."""

from django import template

from authors.models import avatar_colour_for, initials_for
from authors.renditions import fallback_url, srcset

register = template.Library()


@register.inclusion_tag("includes/avatar.html")
def avatar(name, size=48, photo=None):
    context = {
        "name": name,
        "size": size,
        "initials": initials_for(name),
        "colour": avatar_colour_for(name),
    }
    if photo:
        context["photo"] = {
            "src": fallback_url(photo.name, size),
            "webp_srcset": srcset(photo.name, "webp"),
            "jpeg_srcset": srcset(photo.name, "jpg"),
        }
    return context
