from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
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


@require_GET
@never_cache
def form_token(request):
    """A CSRF token for a comment form served without one (see comments.blank_form); sets the CSRF cookie."""
    return JsonResponse({"csrfmiddlewaretoken": get_token(request)})


# What a comment from our own page lacks: a first visit's form without JavaScript, a cleared or replaced
# cookie (Django words the last one without a constant).
SHOWN_BACK_REASONS = {REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING, "CSRF token from POST incorrect."}


def _shown_back(request, reason):
    """Whether a refused post may come back to its author as a form ready to send.

    Only a comment posted from this site: CsrfViewMiddleware checks the Origin header first (a request from
    another site fails on it, for a reason not listed here), and browsers send it with every form post.
    A post without Origin could come from anywhere, so it gets the plain 403.
    """
    return (
        request.method == "POST"
        and request.path == reverse("comment-post")
        and reason in SHOWN_BACK_REASONS
        and "HTTP_ORIGIN" in request.META
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a comment refused for want of a valid token comes back to its author, text kept.

    This happens without JavaScript (the form comes without a token, see comments.blank_form), with an
    old page, or when the cookie was cleared. The form is shown again with a token for this reader
    (and fresh security data if they had expired); pressing "Post Comment" once more posts it.
    Anything else gets Django's 403.
    """
    article = _article_for(request.POST) if _shown_back(request, reason) else None
    if article is None or not comments_open(article):
        return csrf.csrf_failure(request, reason)
    data = request.POST.copy()
    if ArticleCommentForm(article, data=data).security_errors():  # Expired or altered: a new signed timestamp.
        for name, value in ArticleCommentForm(article).generate_security_data().items():
            data[name] = value
    form = ArticleCommentForm(article, data=data)  # Its errors show too: they need fixing before it can go.
    context = {**form_context(request, article, form=form), "needs_confirmation": True}
    return render(request, "comments/preview.html", context, status=403)


@never_cache
def confirm(request, key):
    """The link in the confirmation email opens a page; its button (a POST) stores the comment, once.

    Mail scanners that fetch the link confirm nothing. On the POST, comments must still be open, and the rate
    limit and moderation run again (the blocked words, the first-comment hold): a week may have passed.
    """
    confirmation = services.comment_for_confirmation_key(key)
    if confirmation is None:
        return _refused(request, None, "comments/refused.html", 400, reason="bad_link")
    tmp_comment, nonce = confirmation
    article = tmp_comment.content_object
    if not article.is_published():
        return _refused(request, None, "comments/refused.html", 400, reason="bad_link")
    use = services.confirmation_use(nonce)
    if use is not None:
        return _already_confirmed(request, article, use.comment)
    if not comments_open(article):
        return _refused(request, article, "comments/closed.html", 403)
    if request.method != "POST":
        return render(request, "comments/confirm.html", {"article": article, "comment": tmp_comment})

    retry_after = register_posting(ip=client_ip(request), email=tmp_comment.user_email)
    if retry_after:
        context = {"article": article, "comment": tmp_comment, "retry_after": retry_after}
        response = render(request, "comments/confirm.html", context, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    tmp_comment.is_public = True  # Moderation decides again, as for a comment posted now.
    responses = comment_will_be_posted.send(sender=TmpXtdComment, comment=tmp_comment, request=request)
    if any(response is False for _receiver, response in responses):
        return _refused(request, article, "comments/closed.html", 403)
    comment = services.confirm_comment(tmp_comment=tmp_comment, nonce=nonce, request=request)
    if comment is None:  # Used by another request in the meantime.
        return _already_confirmed(request, article, services.confirmation_use(nonce).comment)
    _remember_if_held(request, comment)
    return redirect(services.comment_url(comment))


def _already_confirmed(request, article, comment):
    """A used link: it points to its comment while readers can see it, and never stores it again."""
    visible = comment is not None and comment.is_public and not comment.is_removed
    context = {"article": article, "comment_url": services.comment_url(comment) if visible else None}
    return render(request, "comments/confirmed_already.html", context, status=410)


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


def comment_target(request, content_type_id, object_pk):
    """Where a comment's own URL (django_comments' Comment.get_absolute_url) leads: its published article.

    Takes the place of contenttypes' shortcut, which redirected to any object: a draft's or a scheduled
    article's address, found by counting pks. Anything but a published article is a 404.
    """
    if content_type_id != ContentType.objects.get_for_model(Article).pk or not object_pk.isdigit():
        raise Http404("No article here.")
    article = get_object_or_404(Article.objects.published(), pk=int(object_pk))
    return redirect(article)


def reply(request, pk):
    """A stable "reply to this comment" address: the article page with the reply form, on the comment's page."""
    comment = get_object_or_404(XtdComment.norel_objects, pk=pk, is_public=True, is_removed=False)
    article = get_object_or_404(Article.objects.published(), pk=comment.object_pk)
    return redirect(f"{article.get_absolute_url()}?cpage={page_of_comment(comment)}&reply_to={comment.pk}#respond")
