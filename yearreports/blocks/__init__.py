"""The data blocks a report section may hold: a registry of kinds, each a key, a Swedish label
and a builder ``builder(report) -> list[yearreports.document.Block]``.

A builder reads the unit's data at the report's occasion as it is now; completing a report
stores what the builders returned (yearreports.build), so later changes never reach it. Another
feature adds its kind with one ``register`` line below.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import features, scorecard


@dataclass(frozen=True)
class BlockKind:
    key: str
    label: str
    builder: Callable


REGISTRY: dict[str, BlockKind] = {}


def register(key: str, label, builder: Callable) -> None:
    REGISTRY[key] = BlockKind(key, label, builder)


def choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in REGISTRY.values()]


def label(key: str) -> str:
    kind = REGISTRY.get(key)
    return str(kind.label) if kind else key


def build(key: str, report) -> list[dict]:
    """The blocks of kind ``key`` for ``report``; a kind no longer registered gives none."""
    kind = REGISTRY.get(key)
    return kind.builder(report) if kind else []


register("perspectives", _("Perspektiv i sammandrag"), scorecard.perspective_summary)
register("goals", _("Mål med status, bedömning och analys"), scorecard.goals)
register("metrics", _("Mätetal med målvärden och utfall"), scorecard.metric_table)
register("trends", _("Trenddiagram"), scorecard.trend_charts)
register("actions", _("Aktiviteter"), scorecard.actions)
register("kolada", _("Jämförelse i Kolada"), scorecard.kolada_comparison)
register("forecast", _("Prognos helår och bedömd måluppfyllelse"), features.forecast)
register("assignments", _("Uppdrag och deras status"), features.assignments)
register(
    "internal_control", _("Internkontroll: kontroller och resultat"), features.internal_control
)
register("economy", _("Driftredovisning: budget, utfall och prognos"), features.operating_statement)
