"""Initials avatars drawn locally, for authors and commenters alike (no Gravatar)."""

from django import template

from authors.models import avatar_colour_for, initials_for

register = template.Library()


@register.inclusion_tag("includes/avatar.html")
def avatar(name, size=48, photo=None):
    return {
        "name": name,
        "size": size,
        "photo": photo,
        "initials": initials_for(name),
        "colour": avatar_colour_for(name),
    }
