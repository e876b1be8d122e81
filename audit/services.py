from .models import AuditEntry, Event

MAX_TEXT = 500  # detail strings are truncated; the log is not a place for free text


def client_ip(request) -> str | None:
    """The address django-axes resolved (it knows the proxy setup), else REMOTE_ADDR."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


def _clean(value):
    if isinstance(value, str):
        return value.replace("\x00", "")[:MAX_TEXT]
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clean(str(value))


def record(event: str, user=None, *, request=None, username: str = "", **details) -> AuditEntry:
    if event not in Event.values:
        raise ValueError(f"Unknown audit event {event!r}")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    return AuditEntry.objects.create(
        event=event,
        user=user,
        username=_clean(username)[:150],
        ip_address=client_ip(request),
        details=_clean(details),
    )
