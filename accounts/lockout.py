"""The client address django-axes counts failed sign-ins for."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or with ``PROXY_COUNT`` proxies in front the address they recorded.

    Only the proxies' own entries in X-Forwarded-For are trusted; anything further left was
    written by the client and could be forged to dodge the lockout.
    """
    count = settings.STYRKORT_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
