"""The Jinja2 environment (the comment list and form): Django's own filter for line breaks, `url` and `static`."""

from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from jinja2 import Environment


def environment(**options):
    env = Environment(**options)  # noqa: S701 (Django's backend passes autoescape=True)
    env.filters.update(linebreaksbr=linebreaksbr)
    env.globals.update(url=reverse, static=static)
    return env


def render_fragment(template_name, context, request=None):
    """A Jinja2 template's output, ready for a Django template: Jinja2 escaped every value in it already
    (autoescape), but its backend returns a plain string, which Django's engine would escape again.
    With `request`, the template also gets `request` and `csrf_input`, as Django's backend gives them."""
    return mark_safe(render_to_string(template_name, context, request=request, using="jinja2"))  # noqa: S308 (autoescaped render)
