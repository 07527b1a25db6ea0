"""Avatars, the authors app's public API: an author's photo in several sizes (srcset of its square renditions,
images.renditions), else initials drawn locally (no Gravatar), for authors and commenters alike."""

from config.jinja2 import render_fragment
from images.renditions import SQUARE_WIDTHS, rendition_url, srcset

from .models import avatar_colour_for, initials_for


def avatar_context(name, size=48, photo=None):
    """What templates/jinja2/authors/avatar.html draws (as `a`) for `name` and `photo`, an ImageField's file."""
    if photo:
        return {
            "size": size,
            "photo": True,
            "webp": srcset(photo.name, SQUARE_WIDTHS, "webp"),
            "jpeg": srcset(photo.name, SQUARE_WIDTHS, "jpg"),
            "src": rendition_url(photo.name, SQUARE_WIDTHS, size),
        }
    return {"size": size, "photo": False, "colour": avatar_colour_for(name), "initials": initials_for(name)}


def render_avatar(name, size=48, photo=None):
    return render_fragment("authors/avatar.html", {"a": avatar_context(name, size, photo)})
