"""Prognos helår: metric forecasts and the goal's forecast assessment at a follow-up occasion.

* A metric forecast (``Forecast``) is written through ``forecasts_save``, which holds the same
  guards as values (``entry.measurements_save``): the number rule (``entry.parse_value``), the
  period's lock, the version guard (a conflict overwrites nothing) and history.
* A forecast is judged against the year's annual target by the one status rule
  (``status.metric_status`` through ``evaluation.target_rule``): "prognos: ej uppfyllt".
* A suggestion (``forecasting.suggest``) is offered beside the field and names its method.
* The goal's forecast assessment ("bedömd måluppfyllelse vid årets slut") is
  ``Assessment.forecast_status`` on the occasion's scale; what the metric forecasts suggest is
  formed by the scale's own suggestion rule (``scales.suggest``) from the forecasts, and an
  assessment that departs from it needs a comment (``Assessment.forecast``).
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import text_problem
from scorecards.chain import contributor_depths
from scorecards.models import Goal, Indicator, Metric, Source, Target

from . import forecasting, scales
from .assessments import _ensure_open, _stale, assessments_for, departs
from .entry import CONFLICT, INVALID, LOCKED, UNKNOWN_INDICATOR, RowInput, SaveResult, parse_value
from .evaluation import (
    FollowUpPoint,
    GoalResult,
    MetricResult,
    series_filter,
    statuses_at,
    target_rule,
)
from .locking import is_locked
from .models import Assessment, FollowUpOccasion, Forecast, Measurement
from .status import Rollup, Status, assessed_status, metric_status

FORECAST_LABEL = gettext_lazy("Prognos helår")


def forecast_status(value: Decimal | None, target: Target | None) -> Status:
    """A full-year forecast judged against the annual target, by the one status rule."""
    return metric_status(value, target_rule(target))


def forecast_badge(status: Status) -> str:
    """ "prognos: ej uppfyllt", with the status's icon: apart from the status by its words."""
    return _("prognos: %(status)s") % {"status": status.label.lower()}


# --- reading --------------------------------------------------------------------------------


@dataclass
class ForecastRow:
    """One metric of a goal at an occasion: actuals so far, the forecast and the suggestion."""

    metric: Metric
    result: MetricResult
    target: Target | None  # the annual target the forecast is judged against
    forecast: Forecast | None
    suggestion: forecasting.Suggestion | None
    error: str = ""
    comparison: object = None  # the Kolada comparison (``comparison.Comparison``), if any
    posted_value: str | None = None
    posted_comment: str | None = None

    @property
    def indicator(self) -> Indicator:
        return self.metric.indicator

    @property
    def value(self) -> Decimal | None:
        """The entered forecast, or else the suggestion: what the goal's forecast rests on."""
        if self.forecast is not None:
            return self.forecast.value
        return self.suggestion.value if self.suggestion else None

    @property
    def status(self) -> Status:
        return forecast_status(self.value, self.target)

    @property
    def status_text(self) -> str:
        return forecast_badge(self.status)

    @property
    def suggestion_status(self) -> Status:
        return forecast_status(self.suggestion.value if self.suggestion else None, self.target)

    @property
    def version(self) -> int:
        return self.forecast.version if self.forecast else 0

    @property
    def input_value(self) -> str:
        if self.posted_value is not None:
            return self.posted_value
        if self.forecast is None:
            return ""
        return self.indicator.format(self.forecast.value).replace("\u00a0", "")

    @property
    def input_comment(self) -> str:
        if self.posted_comment is not None:
            return self.posted_comment
        return self.forecast.comment if self.forecast else ""


@dataclass
class GoalForecast:
    goal: Goal
    rows: list[ForecastRow]
    suggested: scales.Choice  # what the metric forecasts suggest, on the occasion's scale
    assessment: Assessment | None
    error: str = ""

    @property
    def chosen(self) -> scales.Choice | None:
        if self.assessment is None or not self.assessment.forecast_status:
            return None
        return scales.choice_for(self.assessment.forecast_status)

    @property
    def counted(self) -> Status | None:
        """The forecast status the goal counts with in roll-ups: the owners' where given."""
        return assessed_status(self.assessment.forecast_status) if self.assessment else None

    @property
    def suggested_status(self) -> Status:
        return self.suggested.status or Status.NO_VALUE


def _series(pairs, year: int, month: int) -> dict:
    """{(indicator, unit, year): {month: value}} of these (indicator, unit) series, for this
    year up to ``month`` and last year."""
    found: dict = defaultdict(dict)
    rows = Measurement.objects.filter(series_filter(pairs), year__in=(year - 1, year)).values_list(
        "indicator_id", "unit_id", "year", "month", "value"
    )
    for ind, unit, y, m, value in rows:
        if y == year - 1 or m <= month:
            found[(ind, unit, y)][m] = value
    return found


def suggestion_for(result: MetricResult, series: dict, year: int, month: int):
    """The suggested forecast for one metric, from its unit's own values (or the figure
    aggregated from the units below, when it has none)."""
    indicator = result.metric.indicator
    unit_id = result.metric.goal.scorecard.unit_id
    this_year = series.get((indicator.pk, unit_id, year)) or {
        m: v for m, v in result.computed.items() if m <= month
    }
    last_year = series.get((indicator.pk, unit_id, year - 1), {})
    return forecasting.suggest(indicator.frequency, indicator.year_value, this_year, last_year)


def goal_forecasts(
    goals, occasion: FollowUpOccasion, scale: scales.Scale | None = None
) -> list[GoalForecast]:
    """Each goal's metrics with forecasts and suggestions at the occasion, and the goal's forecast
    assessment; a fixed number of queries however many goals."""
    scale = scale or scales.get_scale()
    goals = list(goals)
    ids = [g.pk for g in goals]
    year, month = occasion.year, occasion.end_month
    results = statuses_at(ids, FollowUpPoint.at(occasion))
    metrics = [r for res in results.values() for r in res.metrics]
    # Each indicator at its own units: across a chain, not every indicator at every unit.
    pairs = {(r.metric.indicator_id, r.metric.goal.scorecard.unit_id) for r in metrics}
    targets = {
        t.metric_id: t
        for t in Target.objects.filter(metric__in=[r.metric for r in metrics], year=year)
    }
    stored = {
        (f.indicator_id, f.unit_id): f
        for f in Forecast.objects.filter(
            series_filter(pairs), year=year, month=month
        ).select_related("entered_by")
    }
    series = _series(pairs, year, month)
    assessments = assessments_for(ids, occasion)
    answer = []
    for goal in goals:
        rows = []
        for r in results[goal.pk].metrics:
            target = targets.get(r.metric.pk)
            if target is not None:
                target.metric = r.metric
            key = (r.metric.indicator_id, r.metric.goal.scorecard.unit_id)
            suggestion = suggestion_for(r, series, year, month)
            rows.append(ForecastRow(r.metric, r, target, stored.get(key), suggestion))
        suggested = suggest_from_forecasts(rows, scale)
        answer.append(GoalForecast(goal, rows, suggested, assessments.get(goal.pk)))
    return answer


def suggest_from_forecasts(rows: list[ForecastRow], scale: scales.Scale) -> scales.Choice:
    """The goal's forecast on the scale, by the scale's own rule applied to the forecasts: each
    metric counts with its forecast judged against the annual target (and, on the trend scale,
    compared with last year's value)."""
    as_results = [
        dataclasses.replace(
            row.result,
            value=row.value,
            status=row.status,
            target=row.target,
            judged_target=None,
            target_share=None,
        )
        for row in rows
    ]
    return scales.suggest(GoalResult(as_results, Status.NO_VALUE), scale)


def forecast_rollup(forecasts: list[GoalForecast]) -> Rollup:
    """Goals counted by their forecast status, the owners' forecast assessment first (as the
    status roll-up counts the assessed status before the suggestion)."""
    return Rollup.of_goals((gf.suggested_status, gf.counted) for gf in forecasts)


def forecast_rollup_by_perspective(forecasts: list[GoalForecast]) -> dict[int, Rollup]:
    """{perspective id: Rollup} of the goals' forecasts."""
    by_perspective: dict[int, list[GoalForecast]] = defaultdict(list)
    for gf in forecasts:
        by_perspective[gf.goal.perspective_id].append(gf)
    return {pk: forecast_rollup(items) for pk, items in by_perspective.items()}


def chain_forecast_rollup(
    root_ids, occasion: FollowUpOccasion, *, within: Q | None = None
) -> dict[int, Rollup]:
    """{root goal id: Rollup} of the forecasts of every goal below each root along the goal chain
    (the goals that contribute to it, at any depth), as the status roll-up counts statuses.
    ``within`` narrows the goals counted (e.g. to the scorecards the user may read).

    A goal whose owners gave a forecast assessment counts with it (``GoalForecast.counted``), so
    only the other goals' metrics are evaluated: below a city's goal that is a thousand goals,
    and evaluating them all with their two years of values took 20 s a request (#16)."""
    below = contributor_depths(list(root_ids))
    every = {pk for ids in below.values() for pk in ids}
    goals = list(
        Goal.objects.filter(within or Q(), pk__in=every, scorecard__year=occasion.year)
        .select_related("scorecard")
        .order_by("pk")
    )
    assessments = assessments_for([g.pk for g in goals], occasion)
    unread = scales.get_scale().not_assessed  # a goal counted with the owners' never reads it
    judged = (GoalForecast(g, [], unread, assessments.get(g.pk)) for g in goals)
    by_goal = {gf.goal.pk: gf for gf in judged if gf.counted is not None}
    rest = [g for g in goals if g.pk not in by_goal]
    by_goal.update({gf.goal.pk: gf for gf in goal_forecasts(rest, occasion)} if rest else {})
    return {
        root: forecast_rollup([by_goal[pk] for pk in ids if pk in by_goal])
        for root, ids in below.items()
    }


def latest_forecast(metric) -> ForecastRow | None:
    """The metric's latest forecast this year (its scorecard's), judged against the annual target:
    a row with ``forecast`` and ``status``, for the metric's trend page."""
    card = metric.goal.scorecard
    forecast = (
        Forecast.objects.filter(indicator=metric.indicator, unit=card.unit, year=card.year)
        .order_by("-month")
        .first()
    )
    if forecast is None:
        return None
    target = Target.objects.filter(metric=metric, year=card.year).first()
    if target is not None:
        target.metric = metric
    return ForecastRow(metric, None, target, forecast, None)


def forecast_for_chart(metric):
    """The latest forecast as the trend chart draws it (dotted, with words), or None."""
    from .charts import ChartForecast

    row = latest_forecast(metric)
    if row is None:
        return None
    value = metric.indicator.format(row.forecast.value)
    label = _("prognos helår %(value)s: %(status)s") % {
        "value": value,
        "status": row.status.label.lower(),
    }
    return ChartForecast(row.forecast.year, row.forecast.value, label)


# --- writing --------------------------------------------------------------------------------


def forecasts_save(
    *,
    unit,
    year: int,
    month: int,
    inputs: list[RowInput],
    user,
    allowed: dict[int, Indicator],
    source: str = Source.MANUAL,
    locks: dict | None = None,
) -> SaveResult:
    """Validate every row, then save all or nothing, as ``entry.measurements_save`` does for
    values: an empty value removes a stored forecast; a row whose ``version`` differs from the
    stored one is a conflict; a locked period refuses every change."""
    locks = {} if locks is None else locks
    for attempt in range(1, 4):
        try:
            return _save_once(unit, year, month, inputs, user, allowed, source, locks)
        except IntegrityError:  # two first forecasts at once: the second finds the row
            if attempt == 3:
                raise
    raise AssertionError("unreachable")


def _save_once(unit, year, month, inputs, user, allowed, source, locks) -> SaveResult:
    result = SaveResult()
    with transaction.atomic():
        existing = {
            f.indicator_id: f
            for f in Forecast.objects.select_for_update()
            .filter(
                unit=unit, year=year, month=month, indicator_id__in=[r.indicator_id for r in inputs]
            )
            .order_by("indicator_id")
        }
        planned = []
        for row in inputs:
            code, error, value = _check(
                row, allowed, existing.get(row.indicator_id), unit, year, month, locks
            )
            if error:
                result.errors[row.indicator_id], result.codes[row.indicator_id] = error, code
            else:
                planned.append((row, value))
        if result.errors:
            return result
        with transaction.atomic():
            for row, value in planned:
                _write(
                    row,
                    value,
                    existing.get(row.indicator_id),
                    unit,
                    year,
                    month,
                    user,
                    source,
                    result,
                )
    return result


def _check(row, allowed, current, unit, year, month, locks) -> tuple[str, str, Decimal | None]:
    if allowed.get(row.indicator_id) is None:
        return UNKNOWN_INDICATOR, _("Mätetalet finns inte i styrkortet."), None
    problem = text_problem(row.comment)
    if problem:
        return INVALID, _("Kommentaren: %(problem)s") % {"problem": problem}, None
    value, code, problem = parse_value(row.value)
    if problem:
        return code, problem, None
    comment = row.comment.strip()
    unchanged = (current is None and value is None) or (
        current is not None and current.value == value and current.comment == comment
    )
    if unchanged:
        return "", "", value
    if is_locked(year, month, unit, cache=locks):
        return LOCKED, _("Perioden är låst eftersom rapporten är fastställd."), None
    if row.version is not None and row.version != (current.version if current else 0):
        shown = allowed[row.indicator_id].format(current.value) if current else _("ingen prognos")
        return (
            CONFLICT,
            _(
                "Någon annan har ändrat prognosen under tiden (nu %(value)s). "
                "Kontrollera och spara igen."
            )
            % {"value": shown},
            None,
        )
    return "", "", value


def _write(row, value, current, unit, year, month, user, source, result: SaveResult) -> None:
    comment = row.comment.strip()
    who = user if getattr(user, "is_authenticated", False) else None
    if current is None:
        if value is None:
            return
        forecast = Forecast(
            indicator_id=row.indicator_id, unit=unit, year=year, month=month,
            value=value, comment=comment, source=source, entered_by=who,
        )  # fmt: skip
        forecast._history_user = who
        forecast.save()
        result.created += 1
    elif value is None:
        current._history_user = who
        current.delete()
        result.deleted += 1
    elif current.value != value or current.comment != comment:
        current.value, current.comment, current.source, current.entered_by = (
            value, comment, source, who,
        )  # fmt: skip
        current.version += 1
        current._history_user = who
        current.save()
        result.updated += 1


def save_forecast_assessment(
    *, goal: Goal, occasion: FollowUpOccasion, user, status: str, comment: str, version: int
) -> Assessment:
    """Set the goal's "bedömd måluppfyllelse vid årets slut" at the occasion; raises
    ValidationError (``PeriodLocked`` when locked, ``StaleVersion`` when someone saved between).

    Without an assessment at the occasion one is made with its status "ej bedömt": the forecast
    is the owners' word about the year's end and says nothing of the goal now."""
    _ensure_open(occasion, goal.scorecard.unit)
    scale = scales.get_scale()
    if status and scale.choice(status) is None:
        raise ValidationError({"forecast_status": _("Välj en bedömning vid årets slut.")})
    comment = comment.strip()
    problem = text_problem(comment)
    if problem:
        raise ValidationError({"forecast": _("Kommentaren: %(problem)s") % {"problem": problem}})
    (suggested_for,) = goal_forecasts([goal], occasion, scale)
    suggested = suggested_for.suggested
    if status and departs(status, suggested) and not comment:
        raise ValidationError(
            {
                "forecast": _(
                    "Bedömningen vid årets slut avviker från vad mätetalens prognoser pekar på "
                    "(%(suggested)s). Motivera den i kommentaren."
                )
                % {"suggested": suggested.label}
            }
        )
    with transaction.atomic():
        _ensure_open(occasion, goal.scorecard.unit)
        current = (
            Assessment.objects.select_for_update().filter(goal=goal, occasion=occasion).first()
        )
        if (current.version if current else 0) != version:
            raise _stale(assessments_for([goal.pk], occasion).get(goal.pk))
        if current is None:
            current = Assessment(
                goal=goal, occasion=occasion, status=scales.NOT_ASSESSED, assessed_by=user
            )
        else:
            current.version += 1
        current.forecast_status, current.forecast = status, comment
        current._history_user = user
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise _stale(assessments_for([goal.pk], occasion).get(goal.pk)) from None
        return current
