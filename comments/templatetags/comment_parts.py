"""The two parts of the comment section: the thread (`?cpage=`) and the "Leave a Comment" form."""

from django import template
from django.template.loader import render_to_string

from comments.forms import form_context, render_respond
from comments.links import held_comment
from comments.thread import thread_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The page of comments in ?cpage= (the article view has checked it is a real page); on a held comment's
    private link (a private page, config.pagecache), that comment in its place."""
    request = context["request"]
    held = held_comment(request, article) if "unapproved" in request.GET else None
    thread = thread_context(article, request.GET.get("cpage", 1), held=[held] if held else [])
    return render_to_string("comments/thread.html", thread)


@register.simple_tag(takes_context=True)
def comment_form(context, article):
    """The "Leave a Comment" form."""
    request = context["request"]
    return render_respond(request, form_context(request, article))


@register.simple_tag(takes_context=True)
def comment_respond(context):
    """The form on a comment page (reply, preview, too many), from the form_context its view put in `context`."""
    return render_respond(context["request"], context.flatten())
