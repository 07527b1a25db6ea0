"""Render the two parts of the comment section: the shared thread and the per-reader form.

comments/section.html uses `{% comment_thread %}` and `{% include "comments/form.html" %}`; form.html calls
`{% comment_form %}`, so a page cache can render form.html on its own for each reader.
"""

from django import template
from django.template.loader import render_to_string

from comments.blank_form import render_respond
from comments.thread import thread_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The thread for the page of comments in ?cpage= (same HTML for every reader)."""
    request = context["request"]
    return render_to_string("comments/thread.html", thread_context(article, request.GET.get("cpage", 1)))


@register.simple_tag(takes_context=True)
def comment_form(context, article):
    """The reader's "Leave a Comment" form (or "Reply to NAME" with ?reply_to=) and their comments on hold."""
    return render_respond(context["request"], article)
