"""The two parts of the comment section: the thread (`?cpage=`) and the "Leave a Comment" form."""

from django import template
from django.template.loader import render_to_string

from comments.forms import form_context, render_respond
from comments.thread import thread_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The page of comments in ?cpage= (the article view has checked it is a real page)."""
    request = context["request"]
    return render_to_string("comments/thread.html", thread_context(article, request.GET.get("cpage", 1)))


@register.simple_tag(takes_context=True)
def comment_form(context, article):
    """The "Leave a Comment" form; on a held comment's private link, that comment above it."""
    request = context["request"]
    return render_respond(request, form_context(request, article))


@register.simple_tag(takes_context=True)
def comment_respond(context):
    """The form on a comment page (reply, preview, too many), from the form_context its view put in `context`."""
    return render_respond(context["request"], context.flatten())
