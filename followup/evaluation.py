"""Evaluate goals and metrics for a year up to a month, in a fixed number of queries.

Every page, report and API that shows statuses calls ``evaluate_goals``; the rules themselves are
in ``status.py``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from scorecards.models import Metric, Target

from .models import Measurement
from .status import Status, TargetRule, metric_status, period_value, suggest_goal_status


@dataclass
class MetricResult:
    metric: Metric
    target: Target | None
    value: Decimal | None
    status: Status
    values: list[Measurement] = field(default_factory=list)
    previous_year_value: Decimal | None = None

    @property
    def formatted_value(self) -> str:
        return self.metric.indicator.format(self.value)

    @property
    def formatted_previous(self) -> str:
        return self.metric.indicator.format(self.previous_year_value)


@dataclass
class GoalResult:
    metrics: list[MetricResult]
    suggested: Status


def target_rule(target: Target | None) -> TargetRule | None:
    if target is None:
        return None
    return TargetRule(target.comparator, target.value, target.value_high, target.tolerance)


def evaluate_goals(goal_ids, *, year: int, month: int = 12) -> dict[int, GoalResult]:
    """{goal id: GoalResult} for the given goals: three queries however many goals and values."""
    metrics = list(
        Metric.objects.filter(goal_id__in=goal_ids)
        .select_related("indicator", "goal__scorecard")
        .order_by("goal_id", "order", "pk")
    )
    targets = {
        t.metric_id: t
        for t in Target.objects.filter(metric__in=metrics, year=year).select_related(
            "metric__indicator"
        )
    }
    units = {m.goal.scorecard.unit_id for m in metrics}
    indicators = {m.indicator_id for m in metrics}
    by_key: dict[tuple[int, int, int], list[Measurement]] = defaultdict(list)
    for row in Measurement.objects.filter(
        unit_id__in=units, indicator_id__in=indicators, year__in=(year - 1, year)
    ).order_by("year", "month"):
        by_key[(row.indicator_id, row.unit_id, row.year)].append(row)

    results: dict[int, GoalResult] = {pk: GoalResult([], Status.NO_VALUE) for pk in goal_ids}
    for metric in metrics:
        unit_id = metric.goal.scorecard.unit_id
        rule = metric.indicator.year_value
        this_year = [m for m in by_key[(metric.indicator_id, unit_id, year)] if m.month <= month]
        last_year = by_key[(metric.indicator_id, unit_id, year - 1)]
        value = period_value([m.value for m in this_year], rule)
        target = targets.get(metric.pk)
        results[metric.goal_id].metrics.append(
            MetricResult(
                metric=metric,
                target=target,
                value=value,
                status=metric_status(value, target_rule(target)),
                values=this_year,
                previous_year_value=period_value([m.value for m in last_year], rule),
            )
        )
    for result in results.values():
        result.suggested = suggest_goal_status((r.status, r.metric.weight) for r in result.metrics)
    return results
