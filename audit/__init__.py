"""Audit log of security events. Other apps call ``audit.record(event, user, **details)``."""


def record(event: str, user=None, *, request=None, username: str = "", **details):
    """Store one audit entry; ``details`` must be JSON-serialisable (ids, names, counts)."""
    from .services import record as _record

    return _record(event, user, request=request, username=username, **details)
