"""Request bodies are refused by size and type before anything reads them (the first middleware).

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, so a multi-gigabyte multipart body would be
spooled to disk by the first `request.POST` (CSRF's) before any form said no. Here:
- any body over MAX_REQUEST_BODY_BYTES (Content-Length) is answered 413; the proxy's limit is the same
  (client_max_body_size in deploy/nginx.conf and docs/deploy.md);
- the comment endpoints take url-encoded forms only, up to COMMENT_MAX_BODY_BYTES: multipart is answered 415.
"""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

COMMENT_ENDPOINTS = ("comment-post",)


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return -1


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        if length < 0:
            return HttpResponse("Bad Content-Length.\n", status=400, content_type="text/plain")
        if request.path in {reverse(name) for name in COMMENT_ENDPOINTS} and request.method == "POST":
            if request.content_type == "multipart/form-data":
                return HttpResponse(
                    "Comments are sent as a plain form, without attachments.\n", status=415, content_type="text/plain"
                )
            if length > settings.COMMENT_MAX_BODY_BYTES:
                return too_large(settings.COMMENT_MAX_BODY_BYTES)
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return too_large(settings.MAX_REQUEST_BODY_BYTES)
        return self.get_response(request)


def too_large(limit):
    response = HttpResponse(
        f"The request is too large: at most {limit // 1024} KB is accepted.\n", status=413, content_type="text/plain"
    )
    response["Connection"] = "close"  # Do not read the rest of an oversized body on this connection.
    return response
