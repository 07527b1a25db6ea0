import ipaddress

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


def client_network(request):
    """Whom limits and lockouts count: the client's IPv4 address, or its IPv6 /64 (one subscriber's network,
    where every address is theirs to use), as the network's first address. Empty when unreadable.

    django-axes (AXES_CLIENT_IP_CALLABLE) and the comment rate limit count by this.
    """
    return network_of(client_ip(request))


def network_of(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)
