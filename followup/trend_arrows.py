"""Trend arrows with text, and each metric's latest forecast, for the pages that list metrics.

A trend compares the latest period's own value with the period before it and with the same
period last year, better or worse by the indicator's direction (``scales.metric_trend``, the one
rule the trend scale also uses): "↗ bättre", "↘ sämre", "→ oförändrat". Shown with its words,
never by colour alone.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import BooleanField, Value
from django.utils.translation import gettext_lazy as _

from . import scales
from .forecasts import forecast_status
from .models import Forecast, Measurement


@dataclass(frozen=True)
class TrendArrow:
    step: int  # +1 better, 0 unchanged, −1 worse
    against: str  # what it was compared with

    @property
    def icon(self) -> str:
        return {1: "↗", 0: "→", -1: "↘"}[self.step]

    @property
    def label(self) -> str:
        return str({1: _("bättre"), 0: _("oförändrat"), -1: _("sämre")}[self.step])

    @property
    def css(self) -> str:
        return {1: "status-met", 0: "status-close", -1: "status-not_met"}[self.step]


class LatestForecast(NamedTuple):
    month: int  # the occasion's last month
    value: Decimal


AGAINST_PREVIOUS = _("mot föregående period")
AGAINST_LAST_YEAR = _("mot samma period förra året")


def trend_arrows(result, last_year: dict[int, object]) -> tuple:
    """(against the previous period, against the same period last year) for one MetricResult;
    None where there is nothing to compare (``last_year``: {month: value} of the year before)."""
    values = result.values
    if not values or result.value_year is not None:
        return None, None
    latest = values[-1]
    # the year's first value compares with the last period of the year before (December)
    before = values[-2].value if len(values) > 1 else last_year.get(12)
    step = scales.metric_trend(latest.value, before, result.metric, result.target)
    previous = TrendArrow(step, str(AGAINST_PREVIOUS)) if step is not None else None
    step = scales.metric_trend(
        latest.value, last_year.get(latest.month), result.metric, result.target
    )
    same = TrendArrow(step, str(AGAINST_LAST_YEAR)) if step is not None else None
    return previous, same


def annotate(results, year: int) -> None:
    """``annotate_metrics`` for every MetricResult of the ``GoalResult``s given."""
    annotate_metrics([r for result in results for r in result.metrics], year)


def annotate_metrics(metrics, year: int, *, last_year: dict | None = None) -> None:
    """Set ``forecast``, ``forecast_status`` and ``trend_previous``/``trend_last_year`` on each
    MetricResult: one query however many metrics. ``last_year``: {(indicator id, unit id):
    {month: value}} of the year before, when the caller has read them already (the value-entry
    page has); otherwise they come with the forecasts, in the same query."""
    metrics = [r for r in metrics if r is not None]
    if not metrics:
        return
    units = {r.metric.goal.scorecard.unit_id for r in metrics}
    indicators = {r.metric.indicator_id for r in metrics}
    wanted = {"unit_id__in": units, "indicator_id__in": indicators}
    fields = ("indicator_id", "unit_id", "month", "value")
    rows = (
        Forecast.objects.filter(year=year, **wanted)
        .order_by()
        .values_list(*fields, Value(True, output_field=BooleanField()))
    )
    if last_year is None:  # one query for both: the forecasts and last year's values
        rows = rows.union(
            Measurement.objects.filter(year=year - 1, **wanted)
            .order_by()
            .values_list(*fields, Value(False, output_field=BooleanField())),
            all=True,
        )
    forecasts: dict = {}
    last_year = defaultdict(dict, last_year or {})
    for ind, unit, month, value, is_forecast in rows:
        if not is_forecast:
            last_year[(ind, unit)][month] = value
        elif month >= forecasts.get((ind, unit), LatestForecast(0, value)).month:
            forecasts[(ind, unit)] = LatestForecast(month, value)  # the latest occasion's
    for r in metrics:
        key = (r.metric.indicator_id, r.metric.goal.scorecard.unit_id)
        r.forecast = forecasts.get(key)
        annual = r.target if r.value_year is None else None
        r.forecast_status = forecast_status(r.forecast.value, annual) if r.forecast else None
        r.trend_previous, r.trend_last_year = trend_arrows(r, last_year[key])
