"""The municipality's name, designation, Kolada id and assessment scale: one place that every
page, export and sync asks.

The database row (``core.models.SiteSettings``, set on the first-run setup pages) wins; a blank
field falls back to the environment's setting. Templates get the same values through the context
processor ``core.context_processors.site`` (``MUNICIPALITY_NAME``, ``MUNICIPALITY_DESIGNATION``,
``MUNICIPALITY_KOLADA_ID``).

The row is read at most once per ``TTL`` seconds per process: every page shows the name, and a
query on every page would cost more than the name is worth. Saving the row forgets it at once in
the process that saved it; other worker processes see the change within ``TTL`` seconds.
"""

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError

from organisation.models import UnitKind

from .models import SiteSettings

TTL = 10.0
_lock = threading.Lock()
_cached: tuple[float, SiteSettings | None] | None = None


@dataclass(frozen=True)
class Site:
    name: str
    designation: str
    kolada_id: str
    unit_kinds: tuple[str, ...]
    setup_done: bool
    assessment_scale: str  # a key of followup.scales.SCALES


def site_settings() -> Site:
    row = _row()
    kinds = tuple(k for k in (row.unit_kinds if row else []) if k in UnitKind.values)
    if row is None or row.kolada_id is None:  # None: not chosen; "": chosen to fetch nothing
        kolada_id = settings.MUNICIPALITY_KOLADA_ID
    else:
        kolada_id = row.kolada_id
    return Site(
        name=(row and row.name) or settings.MUNICIPALITY_NAME,
        designation=(row and row.designation) or settings.MUNICIPALITY_DESIGNATION,
        kolada_id=kolada_id,
        unit_kinds=kinds or tuple(UnitKind.values),
        setup_done=bool(row and row.setup_completed_at),
        assessment_scale=(row and row.assessment_scale) or settings.ASSESSMENT_SCALE,
    )


def forget() -> None:
    """Read the row again next time (called when it is saved, and between tests)."""
    global _cached
    with _lock:
        _cached = None


def assume_no_row() -> None:
    """For tests, whose database starts without the row: no query until a row is saved (which
    forgets this), so pinned query counts stay what the page itself needs."""
    global _cached
    with _lock:
        _cached = (float("inf"), None)


def _row() -> SiteSettings | None:
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < TTL:  # inf: assumed, never expires
        return cached[1]
    try:
        row = SiteSettings.objects.filter(pk=1).first()
    except DatabaseError:  # before ``migrate`` has made the table: the environment's settings
        return None
    with _lock:
        _cached = (now, row)
    return row
