from django import template

from blog.dates import display_date

register = template.Library()
register.filter("display_date", display_date)
