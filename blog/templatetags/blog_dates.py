from django import template
from django.conf import settings
from django.template.defaultfilters import date as format_date

register = template.Library()


@register.filter
def display_date(value):
    """A date in the blog's reader-facing format (BLOG_DATE_FORMAT, day/month/year by default)."""
    return format_date(value, settings.BLOG_DATE_FORMAT)
