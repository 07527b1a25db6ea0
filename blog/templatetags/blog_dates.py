from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaultfilters import date as format_date
from django.utils.translation import get_language

register = template.Library()


@register.filter
def display_date(value):
    """A date in the blog's reader-facing format (BLOG_DATE_FORMAT, day/month/year by default)."""
    return format_date(value, settings.BLOG_DATE_FORMAT)


@lru_cache(maxsize=4096)
def _formatted_day(day, date_format, language):
    return format_date(day, date_format)


def display_day(day):
    """display_date for a date, remembered per day, format and language: a comment list shows many
    comments of the same few days, and the date filter per comment was a sizeable part of a cold page."""
    return _formatted_day(day, settings.BLOG_DATE_FORMAT, get_language())
