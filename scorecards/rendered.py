"""The scorecard page's expensive parts, drawn once and kept until what they show changes (#16).

A scorecard page is mostly its goal blocks: statuses, values, targets, trend arrows, forecasts,
assessments, marks, strategies and chain links, about 165 template includes per page. Drawn, they
are the same for every reader who may see the same scorecards and do the same things, so they
are kept (zlib-compressed HTML, in ``followup.rollup.cached_until_change``) under:

* the scorecard's scoped roll-up version: every write the parts show records a change for this
  scorecard or for every scorecard — values, targets, metrics, indicators, assessments (through
  the status refresh, ``followup.rollup``), goals, scorecards, units and links (``followup.signals``),
  strategies, perspectives, forecasts, marks, adopted versions and the names of whoever made a
  mark and the year's follow-up occasions (all recorded in ``followup.signals``); the toolbar's
  other years and the breadcrumbs' units are kept with them (scorecards and units saved record a
  change for every scorecard);
* and, in the key (``key_parts``), what a write does not record: the day, the language, the
  reader's visible units and rights, the site's settings (the assessment scale's words) and the
  scorecard's own fields.
"""

import zlib
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.site import site_settings
from organisation import access

from .models import Scorecard

# The parts of scorecard_detail.html drawn here, each its own template.
PARTS = {
    "adoption": "scorecards/_adoption.html",
    "summary": "scorecards/_summary.html",
    "occasions": "scorecards/_occasions.html",
    "perspectives": "scorecards/_perspectives.html",
}


@dataclass(frozen=True)
class DrawnParts:
    """The parts' HTML, compressed: a city's goals are about 100 kB of HTML, and each worker keeps
    one drawing per reader visibility, rights and language."""

    packed: dict[str, bytes]
    # Plain data beside the HTML, read by the page's own template: the unit's other scorecards
    # the reader may see (toolbar) and the units above it (breadcrumbs, as name and address).
    other_years: tuple[dict, ...]
    ancestors: tuple[dict, ...]

    @classmethod
    def pack(cls, parts: dict[str, str], *, other_years, ancestors) -> "DrawnParts":
        packed = {name: zlib.compress(html.encode(), 1) for name, html in parts.items()}
        units = tuple({"name": a.name, "get_absolute_url": a.get_absolute_url()} for a in ancestors)
        return cls(packed, tuple(other_years), units)

    def unpacked(self) -> dict:
        parts: dict = {
            name: mark_safe(zlib.decompress(packed).decode())  # noqa: S308 - drawn by our templates
            for name, packed in self.packed.items()
        }
        return {**parts, "other_years": self.other_years, "ancestors": self.ancestors}


def key_parts(card: Scorecard, user, *, today: date, can_edit: bool, history: bool) -> tuple:
    """Everything the drawn parts depend on that no write records as a roll-up change."""
    return (
        card.pk,
        _fields(card),
        get_language(),
        # statuses "so far", what is missing after a deadline and the overview read the day
        today,
        timezone.localdate(),
        # drafts' goals in links and counts are shown only to those who may read them
        access.visible_unit_ids(user),
        can_edit,
        history,
        site_settings(),  # the assessment scale's words and icons
    )


def _fields(obj) -> tuple:
    """The object's stored fields, as loaded (no query)."""
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)
