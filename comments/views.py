from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from django_comments_xtd.models import XtdComment

from blog.models import Article
from config.cachetags import add_tags, object_tag
from config.jinja2 import render_fragment
from config.pagecache import has_session

from . import services
from .cookies import posted_from_this_browser, remember_author, remember_posted, set_held_hint
from .forms import ArticleCommentForm, form_context
from .links import comment_for_confirmation_key, comment_for_mute_token, comment_url, confirmation_use
from .queries import reply_target
from .ratelimit import client_ip, register_posting
from .thread import held_entries, held_reply_places, lone_entries, thread_comment


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


def _too_many(request, template, context, retry_after):
    """Over the rate limit: 429, with the seconds until the next post would pass."""
    response = render(request, template, {**context, "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _stored(request, comment):
    """Published: the comment's place on the article. Held: its private link, which shows it to its author."""
    response = redirect(comment_url(comment))
    remember_posted(response, request, comment)
    return response


def _own_origin(request):
    return f"{request.scheme}://{request.get_host()}"


def cross_site_refusal(request):
    """A 403 for a post another site made the reader's browser send, else None (OWASP's CSRF cheat sheet:
    Fetch Metadata, then the Origin header; a browser that sends neither is an old one and is let through)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site is not None:
        allowed = fetch_site in ("same-origin", "none")
    elif origin is not None:
        allowed = origin == _own_origin(request) or origin in settings.CSRF_TRUSTED_ORIGINS
    else:
        allowed = True
    if allowed:
        return None
    return render(request, "comments/cross_site.html", status=403)


@csrf_exempt
@require_POST
def post_comment(request):
    """Take a comment from the "Leave a Comment" form: validate, limit, moderate, store once, redirect to it.

    The form on a public page carries no CSRF token: an anonymous post is checked for its origin instead.
    A reader with a session (signed in) posts with Django's token, as everywhere else.
    """
    if has_session(request):
        return csrf_protect(_post_comment)(request)
    return cross_site_refusal(request) or _post_comment(request)


def _post_comment(request):
    article = _article_for(request.POST)
    if article is None:
        return _refused(request, None, "comments/refused.html", 400, reason="unknown")
    if not article.comments_open():
        return _refused(request, article, "comments/closed.html", 403)
    form = ArticleCommentForm(article, data=request.POST)
    if "honeypot" in form.errors:
        return _refused(request, article, "comments/refused.html", 400, reason="honeypot")
    if form.security_errors():
        # Expired or altered security data: the form comes back with new data, text kept, to send again.
        data = request.POST.copy()
        data.update(ArticleCommentForm(article).generate_security_data())
        form = ArticleCommentForm(article, data=data)
        context = {**form_context(request, article, form=form), "needs_resending": True}
        return render(request, "comments/preview.html", context, status=400)
    if not form.is_valid():
        return render(request, "comments/preview.html", form_context(request, article, form=form))
    ip = client_ip(request)
    retry_after = register_posting(ip=ip, email=form.cleaned_data["email"])
    if retry_after:
        return _too_many(request, "comments/too_many.html", form_context(request, article, form=form), retry_after)

    tmp_comment = form.get_comment_object(site_id=get_current_site(request).pk)
    tmp_comment.ip_address = ip
    if request.user.is_authenticated:
        tmp_comment.user = request.user
    comment = services.post_comment(tmp_comment=tmp_comment, request=request)
    if comment is None:  # Waiting for the email confirmation.
        response = render(request, "comments/confirmation_sent.html", {"article": article, "comment": tmp_comment})
    else:
        response = _stored(request, comment)
    remember_author(response, request, form)
    return response


@never_cache
def confirm(request, key):
    """The link in the confirmation email opens a page; its button (a POST) stores the comment, once.

    Mail scanners that fetch the link confirm nothing. On the POST, comments must still be open, and the rate
    limit and moderation run again (the blocked words, the first-comment hold): a week may have passed.
    """
    confirmation = comment_for_confirmation_key(key)
    if confirmation is None:
        return _refused(request, None, "comments/refused.html", 400, reason="bad_link")
    tmp_comment, nonce = confirmation
    article = tmp_comment.content_object
    if not article.is_published():
        return _refused(request, None, "comments/refused.html", 400, reason="bad_link")
    use = confirmation_use(nonce)
    if use is not None:
        return _already_confirmed(request, article, use.comment)
    if not article.comments_open():
        return _refused(request, article, "comments/closed.html", 403)
    if request.method != "POST":
        return render(request, "comments/confirm.html", {"article": article, "comment": tmp_comment})

    retry_after = register_posting(ip=client_ip(request), email=tmp_comment.user_email)
    if retry_after:
        return _too_many(request, "comments/confirm.html", {"article": article, "comment": tmp_comment}, retry_after)
    comment = services.confirm_comment(tmp_comment=tmp_comment, nonce=nonce, request=request)
    if comment is None:  # Used by another request in the meantime.
        return _already_confirmed(request, article, confirmation_use(nonce).comment)
    return _stored(request, comment)


def _already_confirmed(request, article, comment):
    """A used link: it points to its comment while readers can see it, and never stores it again."""
    visible = comment is not None and comment.is_public and not comment.is_removed
    context = {"article": article, "comment_url": comment_url(comment) if visible else None}
    return render(request, "comments/confirmed_already.html", context, status=410)


def mute(request, token):
    """The link in a reply notification: confirm with a button (mail scanners follow links), then stop them."""
    comment = comment_for_mute_token(token)
    if comment is None:
        raise Http404("This link is not valid.")
    article = get_object_or_404(Article, pk=comment.object_pk)
    # The page names the article only while readers can see it (a draft's or a scheduled article's title is not
    # public, and a mute link can be forwarded).
    shown = {"article": article if article.is_published() else None}
    if request.method == "POST":
        services.mute_replies(comment=comment)
        return render(request, "comments/muted.html", shown)
    return render(request, "comments/mute_confirm.html", shown)


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
    """The "Reply" link without JavaScript: the comment and a form that replies to it (with JavaScript,
    comments.js moves the article page's form under the comment instead)."""
    comment = get_object_or_404(XtdComment.norel_objects, pk=pk, is_public=True, is_removed=False)
    article = get_object_or_404(Article.objects.published(), pk=comment.object_pk)
    reply_to = reply_target(article, comment.pk)
    if reply_to is None:  # At the deepest level: it takes no replies.
        return redirect(comment_url(comment))
    page_url = comment_url(comment).partition("#")[0]
    parent = render_fragment(
        "comments/comment_list.html", {"entries": lone_entries([thread_comment(comment)]), "page_url": page_url}
    )
    context = {**form_context(request, article, reply_to=reply_to), "parent": comment, "parent_item": parent}
    response = TemplateResponse(request, "comments/reply.html", context)
    return add_tags(response, [object_tag(article), object_tag(article, "comments")])


def held_item(article, entry, place):
    """One of the reader's held comments as comments.js takes it. `place` is None for a new thread, else where the
    comment a reply answers is: (its author's name, or "" if it was removed; its page of threads)."""
    page = place[1] if place else 1
    page_url = article.get_absolute_url() + (f"?cpage={page}" if page > 1 else "")
    item = {
        "id": entry.comment.pk,
        "parent": entry.comment.parent_id if place else None,
        "html": render_fragment("comments/comment_list.html", {"entries": [entry], "page_url": page_url}),
        "elsewhere": "",
    }
    if place:
        context = {"parent_name": place[0], "url": f"{page_url}#c{entry.comment.pk}", "page": page}
        item["elsewhere"] = render_to_string("comments/held_elsewhere.html", context)
    return item


@never_cache
@require_GET
def held_comments(request, article_pk):
    """The reader's own comments on the article that await moderation, for comments.js to show in their places
    on the public page (the same for every reader): private, never cached, read from the browser's signed list
    of the comments it posted (comments.cookies.posted_from_this_browser), never from anything typed.

    JSON: {"comments": [{"id", "parent", "html", "elsewhere"}], "notice": html}; "html" is the comment's item as
    the thread draws it, marked "awaiting moderation"; "elsewhere" (replies only) is the notice a page of threads
    without the comment it answers shows instead, with a link to the page that has it. The answer also keeps the
    browser's hint (which articles to ask about) up to date."""
    article = get_object_or_404(Article.objects.published(), pk=article_pk)
    ids = posted_from_this_browser(request)
    entries = held_entries(article, ids) if ids else []
    places = held_reply_places(article, entries)
    response = JsonResponse(
        {
            "comments": [held_item(article, entry, places.get(entry.comment.pk)) for entry in entries],
            "notice": render_to_string("comments/held_notice.html") if entries else "",
        }
    )
    set_held_hint(response, request, article.pk, held=bool(entries))
    return response
