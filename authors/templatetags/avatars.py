from django import template

from authors.avatars import render_avatar

register = template.Library()


@register.simple_tag
def avatar(name, size=48, photo=None):
    """An author's photo (srcset), else their initials: {% avatar author.name 72 author.photo %}."""
    return render_avatar(name, size, photo)
