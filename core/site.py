"""The municipality's name, designation and Kolada id: one place that every page, export and
sync asks.

The database row (``core.models.SiteSettings``, set on the first-run setup pages) wins; a blank
field falls back to the environment's setting. Templates get the same values through the context
processor ``core.context_processors.site`` (``MUNICIPALITY_NAME``, ``MUNICIPALITY_DESIGNATION``,
``MUNICIPALITY_KOLADA_ID``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError

from organisation.models import UnitKind

from .models import SiteSettings


@dataclass(frozen=True)
class Site:
    name: str
    designation: str
    kolada_id: str
    unit_kinds: tuple[str, ...]
    setup_done: bool


def site_settings() -> Site:
    row = _row()
    kinds = tuple(k for k in (row.unit_kinds if row else []) if k in UnitKind.values)
    return Site(
        name=(row and row.name) or settings.MUNICIPALITY_NAME,
        designation=(row and row.designation) or settings.MUNICIPALITY_DESIGNATION,
        kolada_id=settings.MUNICIPALITY_KOLADA_ID
        if row is None or row.kolada_id is None
        else row.kolada_id,
        unit_kinds=kinds or tuple(UnitKind.values),
        setup_done=bool(row and row.setup_completed_at),
    )


def _row() -> SiteSettings | None:
    try:
        return SiteSettings.objects.filter(pk=1).first()
    except DatabaseError:  # before ``migrate`` has made the table: the environment's settings
        return None
