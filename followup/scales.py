"""The assessment scale: which choices a goal is assessed with, and which one is suggested.

The scale in use is one of three: chosen on /uppfoljning/bedomningsskala/ by an administrator of
the whole municipality (stored in ``core.models.SiteSettings``), else ``settings.ASSESSMENT_SCALE``
(read through ``core.site.site_settings()``, so no query per page). Each choice has a Swedish label and an
icon of its own, so an assessment reads without colour vision.

* ``three``   – uppfyllt / delvis uppfyllt / ej uppfyllt (+ ej bedömt). Suggested by the status
  rule in ``status.py``: the weighted share of met metrics (met 1, close ½, not met 0).
* ``percent`` – the same four choices, chosen by bands of target fulfilment
  (``settings.ASSESSMENT_PERCENT_BANDS``, by default ≥ 100 % uppfyllt, 91–99 % delvis, below
  91 % ej uppfyllt). A metric's fulfilment (``fulfilment``):

  - ≥ target: value / target · 100
  - ≤ target: target / value · 100
  - = target: 100 − |value − target| / target · 100
  - range [low, high]: 100 inside, value / low · 100 below, high / value · 100 above
  - undefined when the target (or, for ≤, the value) is zero or negative, or there is no value
    or no target.

  The goal's fulfilment is the weighted mean of its metrics' fulfilment, each capped to 0–100 %
  so that one metric far above its target does not hide another one below. When any metric with
  a status has no defined fulfilment, the whole goal falls back to the three-step rule.
* ``trend``   – förbättring ↗ / oförändrat → / försämring ↘ (+ ej bedömt): each metric's value for
  the period against the same period last year, read in the indicator's direction (for a range:
  closer to the range is better), compared at the indicator's number of decimals. Improving
  counts +1, worsening −1, unchanged 0; the sign of the weighted mean is the goal's trend.

Whatever the scale, a goal without anything to go on is suggested "ej bedömt".
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.site import site_settings
from scorecards.models import Comparator, Direction

from .status import RATED, STATUS_ICONS, STATUS_LABELS, Status, suggest_goal_status

HUNDRED = Decimal(100)

MET, CLOSE, NOT_MET, NOT_ASSESSED = "met", "close", "not_met", "not_assessed"
IMPROVING, UNCHANGED, WORSENING = "improving", "unchanged", "worsening"


@dataclass(frozen=True)
class Choice:
    """One step of a scale. ``status`` links it to the status rule (None for trend arrows)."""

    value: str
    label: str
    icon: str
    css: str
    status: Status | None = None

    def __str__(self) -> str:
        return str(self.label)


@dataclass(frozen=True)
class Scale:
    key: str
    name: str
    choices: tuple[Choice, ...]

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    @property
    def form_choices(self) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in self.choices]

    @property
    def not_assessed(self) -> Choice:
        return self.choice(NOT_ASSESSED)


NOT_ASSESSED_CHOICE = Choice(NOT_ASSESSED, _("Ej bedömt"), "–", "status-no_value")


def _three() -> Scale:
    return Scale(
        "three",
        _("Tre steg"),
        tuple(
            Choice(s.value, STATUS_LABELS[s], STATUS_ICONS[s], f"status-{s.value}", s)
            for s in RATED
        )
        + (NOT_ASSESSED_CHOICE,),
    )


def _percent() -> Scale:
    full, partly = percent_bands()
    labels = {
        Status.MET: _("Uppfyllt (minst %(full)s %%)") % {"full": full},
        Status.CLOSE: _("Delvis uppfyllt (%(partly)s–%(below)s %%)")
        % {"partly": partly, "below": full - 1},
        Status.NOT_MET: _("Ej uppfyllt (under %(partly)s %%)") % {"partly": partly},
    }
    return Scale(
        "percent",
        _("Måluppfyllelse i procent"),
        tuple(Choice(s.value, labels[s], STATUS_ICONS[s], f"status-{s.value}", s) for s in RATED)
        + (NOT_ASSESSED_CHOICE,),
    )


def _trend() -> Scale:
    return Scale(
        "trend",
        _("Trend"),
        (
            Choice(IMPROVING, _("Förbättring"), "↗", "status-met"),
            Choice(UNCHANGED, _("Oförändrat"), "→", "status-close"),
            Choice(WORSENING, _("Försämring"), "↘", "status-not_met"),
            NOT_ASSESSED_CHOICE,
        ),
    )


SCALES = {"three": _three, "percent": _percent, "trend": _trend}


def get_scale(key: str | None = None) -> Scale:
    """The scale named ``key``, by default the configured one."""
    key = key or site_settings().assessment_scale
    if key not in SCALES:
        raise ValueError(f"Unknown assessment scale {key!r}; use one of {', '.join(SCALES)}.")
    return SCALES[key]()


def choice_for(value: str, scale: Scale | None = None) -> Choice | None:
    """The choice a stored value stands for, also when it was made on another scale."""
    scale = scale or get_scale()
    found = scale.choice(value)
    if found is None:
        for other in SCALES.values():
            found = other().choice(value)
            if found is not None:
                break
    return found


def percent_bands() -> tuple[int, int]:
    full, partly = settings.ASSESSMENT_PERCENT_BANDS
    return int(full), int(partly)


# --- fulfilment in per cent -----------------------------------------------------------------


def fulfilment(value: Decimal | None, target) -> Decimal | None:
    """A metric's target fulfilment in per cent (see the module docstring), or None."""
    if value is None or target is None:
        return None
    goal = target.value
    if goal is None or goal <= 0:
        return None
    if target.comparator == Comparator.GTE:
        return value / goal * HUNDRED
    if target.comparator == Comparator.LTE:
        return goal / value * HUNDRED if value > 0 else None
    if target.comparator == Comparator.EQ:
        return HUNDRED - abs(value - goal) / goal * HUNDRED
    if target.comparator == Comparator.RANGE:
        high = target.value_high
        if high is None or high <= 0:
            return None
        if value < goal:
            return value / goal * HUNDRED
        if value > high:
            return high / value * HUNDRED
        return HUNDRED
    return None


def goal_fulfilment(metrics) -> Decimal | None:
    """Weighted mean of the metrics' fulfilment capped to 0–100; None if any is undefined."""
    total = weight_sum = Decimal(0)
    for r in metrics:
        if r.status not in RATED or r.metric.weight <= 0:
            continue
        pct = fulfilment(r.value, r.target)
        if pct is None:
            return None
        total += min(max(pct, Decimal(0)), HUNDRED) * r.metric.weight
        weight_sum += r.metric.weight
    if weight_sum == 0:
        return None
    return total / weight_sum


def band(pct: Decimal) -> Status:
    full, partly = percent_bands()
    if pct >= full:
        return Status.MET
    if pct >= partly:
        return Status.CLOSE
    return Status.NOT_MET


# --- trend ----------------------------------------------------------------------------------


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _distance(value: Decimal, target) -> Decimal | None:
    if target is None:
        return None
    low = target.value
    high = target.value_high if target.value_high is not None else target.value
    if value < low:
        return low - value
    if value > high:
        return value - high
    return Decimal(0)


def metric_trend(current: Decimal | None, previous: Decimal | None, metric, target) -> int | None:
    """+1 improving, 0 unchanged, −1 worsening, None when there is nothing to compare."""
    if current is None or previous is None:
        return None
    indicator = metric.indicator
    current = _rounded(current, indicator.decimals)
    previous = _rounded(previous, indicator.decimals)
    if indicator.direction == Direction.RANGE:
        now, before = _distance(current, target), _distance(previous, target)
        if now is None:
            return None
        # Closer to the range is better: compare distances the way "lower is better" does.
        current, previous, sign = now, before, -1
    else:
        sign = 1 if indicator.direction == Direction.HIGHER else -1
    if current == previous:
        return 0
    return sign if current > previous else -sign


def goal_trend(metrics, previous: Mapping[int, Decimal | None] | None = None) -> str:
    score = weight_sum = Decimal(0)
    for r in metrics:
        before = previous.get(r.metric.pk) if previous is not None else r.previous_year_value
        step = metric_trend(r.value, before, r.metric, r.target)
        if step is None or r.metric.weight <= 0:
            continue
        score += step * r.metric.weight
        weight_sum += r.metric.weight
    if weight_sum == 0:
        return NOT_ASSESSED
    if score > 0:
        return IMPROVING
    if score < 0:
        return WORSENING
    return UNCHANGED


# --- the suggestion -------------------------------------------------------------------------


def _from_status(status: Status) -> str:
    return status.value if status in RATED else NOT_ASSESSED


def suggest(goal_result, scale: Scale | str | None = None, *, previous=None) -> Choice:
    """The suggested choice for a goal from its ``GoalResult`` (see the module docstring).

    ``previous`` matters for the trend scale only: the same goal's ``GoalResult`` for the same
    period a year earlier (``statuses_at`` a year earlier). Without it the
    trend compares with last year's value for the whole year, which is the same period only for
    the annual report.
    """
    if not isinstance(scale, Scale):
        scale = get_scale(scale)
    if scale.key == "trend":
        before = None
        if previous is not None:
            before = {r.metric.pk: r.value for r in previous.metrics}
        return scale.choice(goal_trend(goal_result.metrics, before))
    three_step = suggest_goal_status((r.status, r.metric.weight) for r in goal_result.metrics)
    if scale.key == "percent" and three_step in RATED:
        pct = goal_fulfilment(goal_result.metrics)
        if pct is not None:
            return scale.choice(band(pct).value)
    return scale.choice(_from_status(three_step))
