"""How dates are shown: to readers in BLOG_DATE_FORMAT, to editors in the admin's format (config/formats), both
on the site's calendar (TIME_ZONE): an article published at 21:30 UTC is dated the next day in Karachi."""

from django.conf import settings
from django.template.defaultfilters import date as format_date
from django.utils.formats import localize
from django.utils.timezone import template_localtime


def display_date(value):
    """A date, or the day of a moment, as readers see it (BLOG_DATE_FORMAT, 04/08/2016 by default)."""
    return format_date(template_localtime(value), settings.BLOG_DATE_FORMAT)


def admin_date(value):
    """A date (04/08/2016) or a moment (04/08/2016 14:05) as the admin shows it."""
    return localize(template_localtime(value))
