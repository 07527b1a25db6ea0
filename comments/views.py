from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_comments.signals import comment_was_posted, comment_will_be_posted
from django_comments_xtd.models import TmpXtdComment, XtdComment

from blog.models import Article

from . import services
from .forms import HELD_SESSION_KEY, ArticleCommentForm, form_context, remember_author
from .moderation import comments_open
from .ratelimit import client_ip, register_posting
from .thread import page_of_comment


def _article_for(data):
    """The published article a posted form is about, or None."""
    if data.get("content_type") != "blog.article":
        return None
    try:
        return Article.objects.published().filter(pk=int(data.get("object_pk", ""))).first()
    except ValueError:
        return None


def _refused(request, article, template, status, **extra):
    return render(request, template, {"article": article, **extra}, status=status)


def _remember_if_held(request, comment):
    """Let the author's session show their comment while it awaits moderation."""
    held = request.session.get(HELD_SESSION_KEY, [])
    if not comment.is_public and comment.pk not in held:
        request.session[HELD_SESSION_KEY] = [*held, comment.pk][-20:]


def _done(request, comment, form):
    _remember_if_held(request, comment)
    response = redirect(services.comment_url(comment))
    remember_author(response, request, form)
    return response


@require_POST
def post_comment(request):
    """Take a comment from the "Leave a Comment" form: validate, limit, moderate, store once, redirect to it."""
    article = _article_for(request.POST)
    if article is None:
        return _refused(request, None, "comments/refused.html", 400, reason="unknown")
    form = ArticleCommentForm(article, data=request.POST)
    if form.security_errors():
        return _refused(request, article, "comments/refused.html", 400, reason="expired")
    if not comments_open(article):
        return _refused(request, article, "comments/closed.html", 403)
    if not form.is_valid():
        return render(request, "comments/preview.html", form_context(request, article, form=form))
    ip = client_ip(request)
    retry_after = register_posting(ip=ip, email=form.cleaned_data["email"])
    if retry_after:
        context = {**form_context(request, article, form=form), "retry_after": retry_after}
        response = render(request, "comments/too_many.html", context, status=429)
        response["Retry-After"] = str(retry_after)
        return response

    tmp_comment = form.get_comment_object(site_id=get_current_site(request).pk)
    tmp_comment.ip_address = ip
    if request.user.is_authenticated:
        tmp_comment.user = request.user
    responses = comment_will_be_posted.send(sender=TmpXtdComment, comment=tmp_comment, request=request)
    if any(response is False for _receiver, response in responses):
        return _refused(request, article, "comments/closed.html", 403)
    comment_was_posted.send(sender=TmpXtdComment, comment=tmp_comment, request=request)
    if tmp_comment.xtd_comment is None:  # Waiting for the email confirmation.
        response = render(request, "comments/confirmation_sent.html", {"article": article, "comment": tmp_comment})
        remember_author(response, request, form)
        return response
    return _done(request, tmp_comment.xtd_comment, form)


def confirm(request, key):
    """The link in the confirmation email: store the comment (once) and show it."""
    tmp_comment = services.comment_for_confirmation_key(key)
    if tmp_comment is None:
        return _refused(request, None, "comments/refused.html", 400, reason="bad_link")
    article = tmp_comment.content_object
    if not comments_open(article):
        return _refused(request, article, "comments/closed.html", 403)
    comment, _created = services.publish(tmp_comment=tmp_comment, request=request)
    _remember_if_held(request, comment)
    return redirect(services.comment_url(comment))


def mute(request, token):
    """The link in a reply notification: confirm with a button (mail scanners follow links), then stop them."""
    comment = services.comment_for_mute_token(token)
    if comment is None:
        raise Http404("This link is not valid.")
    article = get_object_or_404(Article, pk=comment.object_pk)
    if request.method == "POST":
        services.mute_replies(comment=comment)
        return render(request, "comments/muted.html", {"article": article})
    return render(request, "comments/mute_confirm.html", {"article": article})


def reply(request, pk):
    """A stable "reply to this comment" address: the article page with the reply form, on the comment's page."""
    comment = get_object_or_404(XtdComment.norel_objects, pk=pk, is_public=True, is_removed=False)
    article = get_object_or_404(Article.objects.published(), pk=comment.object_pk)
    return redirect(f"{article.get_absolute_url()}?cpage={page_of_comment(comment)}&reply_to={comment.pk}#respond")
