"""Evaluate goals and metrics for a year up to a month, in a fixed number of queries.

Every page, report and API that shows statuses calls ``evaluate_goals``; the rules themselves are
in ``status.py``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q

from organisation.models import OrgUnit
from scorecards.models import Aggregation, Frequency, Metric, Target

from .aggregation import aggregate, nearest_values
from .models import Measurement
from .status import Status, TargetRule, metric_status, period_value, suggest_goal_status


class PeriodValue(NamedTuple):
    """One stored value as evaluation needs it: plain tuples, so that evaluating thousands of goals
    does not build a model object per value."""

    year: int
    month: int
    value: Decimal


@dataclass
class MetricResult:
    metric: Metric
    target: Target | None
    value: Decimal | None
    status: Status
    values: list[PeriodValue] = field(default_factory=list)
    previous_year_value: Decimal | None = None
    value_year: int | None = None  # the year ``value`` belongs to, when it is last year's

    @property
    def formatted_value(self) -> str:
        return self.metric.indicator.format(self.value)


@dataclass
class GoalResult:
    metrics: list[MetricResult]
    suggested: Status


def active_children() -> dict[int, list[int]]:
    """{unit id: its active child units' ids} for the whole tree, in one query.

    An inactive unit is left out, and with it what hangs below it: its values no longer count
    for the units above.
    """
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent in (
        OrgUnit.objects.active()
        .filter(parent__isnull=False)
        .order_by()
        .values_list("pk", "parent_id")
    ):
        children[parent].append(pk)
    return children


def descendants(units, children: dict[int, list[int]]) -> set[int]:
    found: set[int] = set()
    stack = list(units)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def computed_figures(pairs, year: int) -> dict[tuple[int, int], dict[int, Decimal]]:
    """{(indicator id, unit id): {month: figure}} for (indicator, unit id) pairs whose indicator
    aggregates, from the values of the units below.

    Every level counts, also one without a scorecard of its own (a förvaltning between a nämnd
    and its enheter): each month's figure combines the nearest units below that have a value
    (``aggregation.nearest_values``). Two queries, and none when no metric aggregates.
    """
    wanted = [(ind, unit) for ind, unit in pairs if ind.aggregation != Aggregation.NONE]
    if not wanted:
        return {}
    children = active_children()
    below = descendants({unit for _ind, unit in wanted}, children)
    ids = {ind.pk for ind, _unit in wanted} | {
        ind.aggregation_weight_id for ind, _unit in wanted if ind.aggregation_weight_id
    }
    found: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for ind, unit, month, value in Measurement.objects.filter(
        unit_id__in=below, indicator_id__in=ids, year=year
    ).values_list("indicator_id", "unit_id", "month", "value"):
        found[(ind, month)][unit] = value
    result: dict[tuple[int, int], dict[int, Decimal]] = {}
    for ind, parent in wanted:
        if (ind.pk, parent) in result:
            continue
        per_month = {}
        for month in range(1, 13):
            own = found.get((ind.pk, month))
            if not own:
                continue
            units = nearest_values(parent, children, own)
            weights = found.get((ind.aggregation_weight_id, month), {})
            figure = aggregate(
                ind.aggregation, [own[u] for u in units], [weights.get(u) for u in units]
            )
            if figure is not None:
                per_month[month] = figure
        result[(ind.pk, parent)] = per_month
    return result


# The fields of a metric, its indicator and its goal's scorecard that a status depends on.
STATUS_FIELDS = (
    "goal_id",
    "indicator_id",
    "weight",
    "order",
    "indicator__aggregation",
    "indicator__aggregation_weight_id",
    "indicator__year_value",
    "indicator__frequency",
    "goal__scorecard_id",
    "goal__scorecard__unit_id",
)


def target_rule(target: Target | None) -> TargetRule | None:
    if target is None:
        return None
    return TargetRule(target.comparator, target.value, target.value_high, target.tolerance)


def evaluate_goals(
    goal_ids, *, year: int, month: int = 12, latest_known: bool = False, status_only: bool = False
) -> dict[int, GoalResult]:
    """{goal id: GoalResult} for the given goals: three queries however many goals and values.

    With ``latest_known``, a yearly metric without a value yet this year is shown with last
    year's value and judged against last year's target (marked by ``value_year``): in November
    the latest known annual figure is what a scorecard reader wants to see.

    ``status_only`` is for recomputing stored statuses: last year's values are read only where a
    status can depend on them (yearly metrics, with ``latest_known``), so ``previous_year_value``
    is set for those only. Half the values of a large import's refresh are then never read.
    """
    metrics = Metric.objects.filter(goal_id__in=goal_ids).select_related(
        "indicator", "goal__scorecard"
    )
    target_rows = Target.objects.all()
    if status_only:  # only what the rules read: building whole objects was most of a refresh
        metrics = metrics.only(*STATUS_FIELDS)
        target_rows = target_rows.only(
            "metric_id", "year", "comparator", "value", "value_high", "tolerance"
        )
    metrics = list(metrics.order_by("goal_id", "order", "pk"))
    by_pk = {m.pk: m for m in metrics}
    targets = {}
    for t in target_rows.filter(metric__in=metrics, year__in=(year - 1, year)):
        t.metric = by_pk[t.metric_id]  # already loaded, with its indicator
        targets[(t.metric_id, t.year)] = t
    units = {m.goal.scorecard.unit_id for m in metrics}
    indicators = {m.indicator_id for m in metrics}
    by_key: dict[tuple[int, int, int], list[PeriodValue]] = defaultdict(list)
    wanted = Q(year=year)
    if not status_only:
        wanted |= Q(year=year - 1)
    elif latest_known:
        yearly = {m.indicator_id for m in metrics if m.indicator.frequency == Frequency.YEARLY}
        wanted |= Q(year=year - 1, indicator_id__in=yearly)
    for indicator_id, unit_id, row_year, row_month, value in (
        Measurement.objects.filter(wanted, unit_id__in=units, indicator_id__in=indicators)
        .order_by("year", "month")
        .values_list("indicator_id", "unit_id", "year", "month", "value")
    ):
        by_key[(indicator_id, unit_id, row_year)].append(PeriodValue(row_year, row_month, value))

    computed = computed_figures([(m.indicator, m.goal.scorecard.unit_id) for m in metrics], year)

    results: dict[int, GoalResult] = {pk: GoalResult([], Status.NO_VALUE) for pk in goal_ids}
    for metric in metrics:
        unit_id = metric.goal.scorecard.unit_id
        rule = metric.indicator.year_value
        this_year = [m for m in by_key[(metric.indicator_id, unit_id, year)] if m.month <= month]
        last_year = by_key[(metric.indicator_id, unit_id, year - 1)]
        values = [m.value for m in this_year]
        if not values:  # the unit has no own figure: use its children's, where the rule allows
            own = computed.get((metric.indicator_id, unit_id), {})
            values = [v for mo, v in sorted(own.items()) if mo <= month]
        value = period_value(values, rule)
        previous = period_value([m.value for m in last_year], rule)
        target = targets.get((metric.pk, year))
        value_year = None
        if value is None and latest_known and metric.indicator.frequency == Frequency.YEARLY:
            if previous is not None:
                value, value_year = previous, year - 1
                target = targets.get((metric.pk, year - 1), target)
        results[metric.goal_id].metrics.append(
            MetricResult(
                metric=metric,
                target=target,
                value=value,
                status=metric_status(value, target_rule(target)),
                values=this_year,
                previous_year_value=previous,
                value_year=value_year,
            )
        )
    for result in results.values():
        result.suggested = suggest_goal_status((r.status, r.metric.weight) for r in result.metrics)
    return results
