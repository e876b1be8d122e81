"""Måluppfyllelse: the one rule for a metric's status, and how a goal's status is suggested.

Metric status (``metric_status``), given the period's value and the year's target:

* no value                       → NO_VALUE
* no target (an "inriktning")    → NO_TARGET, shown without a traffic light
* ≤ target ("max 160")           → MET if value ≤ target, CLOSE if value ≤ target + tolerance
* ≥ target ("minst 85")          → MET if value ≥ target, CLOSE if value ≥ target − tolerance
* = target                       → MET if value = target, CLOSE if |value − target| ≤ tolerance
* range [low, high]              → MET inside, CLOSE within tolerance outside either bound
* anything else                  → NOT_MET

The comparator decides; the indicator's direction says which way is better for trends and for
fulfilment percentages. A tolerance of 0 means there is no "close".

Goal suggestion (``suggest_goal_status``): the weighted share of the goal's metrics with a status
that are MET counts 1, CLOSE counts ½, NOT_MET 0. A share of 1 is MET, at least ½ is CLOSE
(delvis uppfyllt), below ½ NOT_MET. Without a rated metric the goal is NO_TARGET when every
metric lacks a target (the values are there, the targets are not: an editor's task), otherwise
NO_VALUE.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from scorecards.models import Comparator, YearValue


class Status(StrEnum):
    MET = "met"
    CLOSE = "close"
    NOT_MET = "not_met"
    NO_VALUE = "no_value"
    NO_TARGET = "no_target"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self]

    @property
    def badge(self) -> str:
        """The status as every page shows it: icon and words, colour only a third cue.

        A property rather than a template include, and made once per language: a chain level
        shows a hundred of them.
        """
        key = (self, get_language())
        if key not in _BADGES:
            _BADGES[key] = format_html(
                '<span class="status status-{}"><span aria-hidden="true">{}</span> {}</span>',
                self.value,
                self.icon,
                self.label,
            )
        return _BADGES[key]


_BADGES: dict[tuple[Status, str | None], str] = {}

STATUS_LABELS = {
    Status.MET: _("Uppfyllt"),
    Status.CLOSE: _("Delvis uppfyllt"),
    Status.NOT_MET: _("Ej uppfyllt"),
    Status.NO_VALUE: _("Utfall saknas"),
    Status.NO_TARGET: _("Inget målvärde"),
}
# Shapes differ as well as colours, so the status reads without colour vision.
STATUS_ICONS = {
    Status.MET: "✔",
    Status.CLOSE: "◆",
    Status.NOT_MET: "✖",
    Status.NO_VALUE: "–",
    Status.NO_TARGET: "○",
}
RATED = (Status.MET, Status.CLOSE, Status.NOT_MET)


@dataclass(frozen=True)
class TargetRule:
    comparator: str
    value: Decimal
    value_high: Decimal | None = None
    tolerance: Decimal = Decimal(0)


def metric_status(value: Decimal | None, target: TargetRule | None) -> Status:
    if value is None:
        return Status.NO_VALUE
    if target is None:
        return Status.NO_TARGET
    tol = target.tolerance or Decimal(0)
    low = target.value
    high = target.value_high if target.comparator == Comparator.RANGE else target.value
    if target.comparator == Comparator.LTE:
        low = None
    elif target.comparator == Comparator.GTE:
        high = None
    inside = (low is None or value >= low) and (high is None or value <= high)
    if inside:
        return Status.MET
    near = (low is None or value >= low - tol) and (high is None or value <= high + tol)
    if tol > 0 and near:
        return Status.CLOSE
    return Status.NOT_MET


def period_value(values: Sequence[Decimal], rule: str) -> Decimal | None:
    """The value for a period formed from the values in it, oldest first (last, sum or mean)."""
    if not values:
        return None
    if rule == YearValue.SUM:
        return sum(values, Decimal(0))
    if rule == YearValue.MEAN:
        return sum(values, Decimal(0)) / len(values)
    return values[-1]


def share_due(month: int, profile: dict[int, Decimal] | None = None) -> Decimal:
    """The share of an annual target due by the end of ``month`` (1–12).

    Pro rata (month / 12) by default; with a profile ({month: last year's value}) the share
    last year had reached by then — pro rata again when the profile is empty or sums to zero.
    """
    if profile:
        total = sum(profile.values(), Decimal(0))
        if total > 0:
            return sum((v for m, v in profile.items() if m <= month), Decimal(0)) / total
    return Decimal(month) / 12


def suggest_goal_status(statuses: Iterable[tuple[Status, Decimal]]) -> Status:
    """Suggest a goal's status from (metric status, weight) pairs; see the module docstring."""
    score = total = Decimal(0)
    points = {Status.MET: Decimal(1), Status.CLOSE: Decimal("0.5"), Status.NOT_MET: Decimal(0)}
    seen = set()
    for status, weight in statuses:
        seen.add(status)
        if status in points and weight > 0:
            score += points[status] * weight
            total += weight
    if total == 0:
        return Status.NO_TARGET if seen == {Status.NO_TARGET} else Status.NO_VALUE
    share = score / total
    if share == 1:
        return Status.MET
    if share >= Decimal("0.5"):
        return Status.CLOSE
    return Status.NOT_MET


def assessed_status(value: str | None) -> Status | None:
    """The status an assessment's choice stands for: met, close or not met on the three-step
    and percentage scales; None for a trend arrow or "ej bedömt", which leave the suggestion."""
    return Status(value) if value in RATED else None


def count_by_status(statuses: Iterable[Status]) -> dict[Status, int]:
    counts = {s: 0 for s in Status}
    for s in statuses:
        counts[s] += 1
    return counts


ROLLUP_ORDER = (Status.MET, Status.CLOSE, Status.NOT_MET, Status.NO_VALUE)


@dataclass(frozen=True)
class Rollup:
    """Goals counted by status, the owners' judgement first: a goal counts with its assessed
    status where it has one, with the status its metrics suggest otherwise, and the roll-up says
    how many of each it counted ("5 bedömda, 2 enligt mätetal").

    Iterates as (status, count) pairs in ``ROLLUP_ORDER``, as the templates list them.
    """

    by_status: tuple[tuple[Status, int], ...]
    assessed: int = 0

    @classmethod
    def of(cls, counted: dict[tuple[Status, bool], int]) -> "Rollup":
        """From {(status counted, whether it was assessed): number of goals}."""
        by_status = dict.fromkeys(ROLLUP_ORDER, 0)
        assessed = 0
        for (status, was_assessed), n in counted.items():
            key = status if status in by_status else Status.NO_VALUE
            by_status[key] += n
            assessed += n if was_assessed else 0
        return cls(tuple(by_status.items()), assessed)

    @classmethod
    def of_goals(cls, pairs: Iterable[tuple[Status, Status | None]]) -> "Rollup":
        """From (suggested status, assessed status or None) per goal."""
        counted: dict[tuple[Status, bool], int] = {}
        for suggested, assessed in pairs:
            key = (assessed, True) if assessed is not None else (suggested, False)
            counted[key] = counted.get(key, 0) + 1
        return cls.of(counted)

    def __iter__(self):
        return iter(self.by_status)

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def total(self) -> int:
        return sum(n for _status, n in self.by_status)

    @property
    def by_metrics(self) -> int:
        return self.total - self.assessed

    @property
    def basis(self) -> str:
        """What the counts rest on, e.g. "5 bedömda, 2 enligt mätetal"."""
        return gettext("%(assessed)s bedömda, %(by_metrics)s enligt mätetal") % {
            "assessed": self.assessed,
            "by_metrics": self.by_metrics,
        }
