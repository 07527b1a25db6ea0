from django.conf import settings


def client_ip(request):
    """The client's IP address.

    REMOTE_ADDR, unless NUM_PROXIES says how many reverse proxies stand in front: then the
    address the outermost trusted proxy saw, from X-Forwarded-For. Without that setting the
    header is ignored, so clients cannot forge their address.
    """
    proxies = settings.NUM_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
