"""The Jinja2 environment (the comment list): Django's own filters for local time and line breaks, and `url`."""

from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from jinja2 import Environment


def environment(**options):
    env = Environment(**options)  # noqa: S701 (Django's backend passes autoescape=True)
    env.filters.update(linebreaksbr=linebreaksbr, localtime=localtime)
    env.globals["url"] = reverse
    return env


def render_fragment(template_name, context):
    """A Jinja2 template's output, ready for a Django template: Jinja2 escaped every value in it already
    (autoescape), but its backend returns a plain string, which Django's engine would escape again."""
    return mark_safe(render_to_string(template_name, context, using="jinja2"))  # noqa: S308 (autoescaped render)
