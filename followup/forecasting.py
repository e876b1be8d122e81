"""Projections of a year's value (prognos helår) from the values known so far: pure functions.

A series is ``{month: value}`` for one indicator and unit, keyed like ``Measurement`` by the last
month of each period (March is 3, the second tertial is 8). ``step`` is the number of months one
period covers (1 monthly, 4 tertial). The year's value is formed by the indicator's year value rule
(``YearValue``: the sum of the periods, their mean, or the last one), so every method projects the
periods still to come and forms the year's value from known and projected periods alike.

A missing period is unknown, never zero: the methods project from the periods that have values.
A zero is a value like any other. A method that cannot project (too few values, a seasonal profile
without last year's values, a share of zero) answers None; callers then show no suggestion.

Methods (``METHODS``):

* ``pro_rata``  – the periods so far continue at their average (for a sum: year to date / periods
  known × periods in the year).
* ``trend``     – a straight line fitted (least squares) through the periods so far, extended to
  December; one value is not a line, so at least two are needed.
* ``seasonal``  – last year's shape applied to this year's year to date: this year's periods so far
  relate to the same periods last year as the whole year relates to last year's whole year.

Naive baselines, for the backtest to beat:

* ``last_value``     – the latest period repeats for the rest of the year.
* ``same_last_year`` – the year ends as last year did.

Yearly series (``{year: value}``) have only ``trend`` (over the years) and the baselines
``last_value`` and ``same_last_year`` (which coincide for years).

The method a page suggests is the one with the lowest backtest error for the indicator's
frequency (``BEST_METHOD``, measured by ``manage.py forecast_backtest``; docs/forecast.md).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from scorecards.models import Frequency, YearValue

Series = Mapping[int, Decimal]

STEPS = {Frequency.MONTHLY: 1, Frequency.TERTIAL: 4, Frequency.YEARLY: 12}


def _periods(step: int) -> list[int]:
    """The months that end a period of the year: 1..12, or 4, 8, 12."""
    return list(range(step, 13, step))


def _known(series: Series, step: int) -> dict[int, Decimal]:
    """The periods of the series that are periods of the year, oldest first."""
    ends = set(_periods(step))
    return {m: Decimal(series[m]) for m in sorted(series) if m in ends and series[m] is not None}


def year_value(periods: Mapping[int, Decimal], rule: str) -> Decimal | None:
    """The year's value formed from every period's value (known or projected)."""
    if not periods:
        return None
    values = [periods[m] for m in sorted(periods)]
    if rule == YearValue.SUM:
        return sum(values, Decimal(0))
    if rule == YearValue.MEAN:
        return sum(values, Decimal(0)) / len(values)
    return values[-1]


def _complete(known: dict[int, Decimal], step: int, fill: Callable[[int], Decimal], rule: str):
    """The year's value with every missing period filled by ``fill(month)``."""
    periods = {m: known[m] if m in known else fill(m) for m in _periods(step)}
    return year_value(periods, rule)


def pro_rata(this_year: Series, rule: str, step: int = 1, last_year: Series | None = None):
    known = _known(this_year, step)
    if not known:
        return None
    average = sum(known.values(), Decimal(0)) / len(known)
    if rule == YearValue.LAST:  # a level: the latest level carries on
        return known[max(known)]
    return _complete(known, step, lambda _m: average, rule)


def _line(points: dict[int, Decimal]) -> tuple[Decimal, Decimal] | None:
    """(intercept, slope) of the least-squares line through (month, value); None below two."""
    if len(points) < 2:
        return None
    n = Decimal(len(points))
    mean_x = sum((Decimal(x) for x in points), Decimal(0)) / n
    mean_y = sum(points.values(), Decimal(0)) / n
    sxx = sum(((Decimal(x) - mean_x) ** 2 for x in points), Decimal(0))
    sxy = sum(((Decimal(x) - mean_x) * (y - mean_y) for x, y in points.items()), Decimal(0))
    slope = sxy / sxx
    return mean_y - slope * mean_x, slope


def trend(this_year: Series, rule: str, step: int = 1, last_year: Series | None = None):
    known = _known(this_year, step)
    line = _line(known)
    if line is None:
        return None
    a, b = line
    return _complete(known, step, lambda m: a + b * m, rule)


def seasonal(this_year: Series, rule: str, step: int = 1, last_year: Series | None = None):
    known = _known(this_year, step)
    before = _known(last_year or {}, step)
    if not known or not before or any(m not in before for m in known):
        return None
    if rule == YearValue.LAST:  # the level moves from here as it did last year
        latest = max(known)
        if before[latest] == 0:
            return None
        return before[max(before)] * known[latest] / before[latest]
    if len(before) < len(_periods(step)):
        return None  # last year's shape must cover the whole year
    so_far = sum((before[m] for m in known), Decimal(0))
    if so_far == 0:
        return None
    ratio = sum(known.values(), Decimal(0)) / so_far
    return _complete(known, step, lambda m: before[m] * ratio, rule)


def last_value(this_year: Series, rule: str, step: int = 1, last_year: Series | None = None):
    known = _known(this_year, step)
    if not known:
        return None
    latest = known[max(known)]
    return _complete(known, step, lambda _m: latest, rule)


def same_last_year(this_year: Series, rule: str, step: int = 1, last_year: Series | None = None):
    before = _known(last_year or {}, step)
    if len(before) < len(_periods(step)) and rule != YearValue.LAST:
        return None
    return year_value(before, rule)


# Yearly series: {year: value}, projecting the year after the last one.


def yearly_trend(history: Series) -> Decimal | None:
    line = _line({y: Decimal(v) for y, v in history.items() if v is not None})
    if line is None:
        return None
    a, b = line
    return a + b * (max(history) + 1)


def yearly_last(history: Series) -> Decimal | None:
    known = [y for y, v in history.items() if v is not None]
    return Decimal(history[max(known)]) if known else None


@dataclass(frozen=True)
class Method:
    name: str
    label: str
    project: Callable
    baseline: bool = False


METHODS = {
    m.name: m
    for m in (
        Method("pro_rata", _("år hittills pro rata"), pro_rata),
        Method("trend", _("linjär trend"), trend),
        Method("seasonal", _("förra årets säsongsmönster"), seasonal),
        Method("last_value", _("senaste värdet (naiv)"), last_value, baseline=True),
        Method("same_last_year", _("samma period förra året (naiv)"), same_last_year, True),
    )
}
YEARLY_METHODS = {
    "trend": Method("trend", _("linjär trend"), yearly_trend),
    "last_value": Method("last_value", _("senaste värdet (naiv)"), yearly_last, baseline=True),
}

# The method with the lowest backtest error per frequency (``manage.py forecast_backtest`` on the
# shipped series; docs/forecast.md). ``test_forecast_backtest`` fails when the data disagree.
BEST_METHOD = {
    Frequency.MONTHLY: "seasonal",
    Frequency.TERTIAL: "trend",
    Frequency.YEARLY: "trend",
}
# Tried in this order when the best method cannot project (e.g. no values last year).
FALLBACK = ("seasonal", "trend", "pro_rata", "last_value")


@dataclass(frozen=True)
class Suggestion:
    value: Decimal
    method: Method

    @property
    def label(self) -> str:
        return str(self.method.label)


def suggest(
    frequency: str, rule: str, this_year: Series, last_year: Series | None = None
) -> Suggestion | None:
    """The suggested prognos helår for an indicator: its frequency's best method, or the next
    that can project; None when none can. The suggestion names its method."""
    if frequency == Frequency.YEARLY:  # one value a year: project from the years before
        if (this_year or {}).get(12) is not None:
            return None  # the year's value is known
        before = (last_year or {}).get(12)
        if before is None:
            return None
        # The best yearly method (a trend over the years) needs more years than the entry
        # reads; last year's value is the suggestion then, and says so.
        return Suggestion(Decimal(before), YEARLY_METHODS["last_value"])
    step = STEPS.get(frequency, 1)
    best = BEST_METHOD.get(frequency, "pro_rata")
    for name in (best, *FALLBACK):
        method = METHODS[name]
        value = method.project(this_year, rule, step, last_year)
        if value is not None:
            return Suggestion(value, method)
    return None
