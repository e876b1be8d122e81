"""The one composer of statuses: goals and metrics at a point of follow-up, in a fixed number of
queries.

Every page, report, export and the API calls ``statuses_at(goal_ids, point)``; a
``FollowUpPoint`` is a year up to a month, or a follow-up occasion, and carries the label every
status is shown with ("utfall t.o.m. april 2026", "helår 2025"). The same rules hold at every
point, so no caller chooses semantics of its own:

* a metric's value is its unit's own values of the year up to the month, formed by the
  indicator's year value rule; without own values, the figure aggregated from the units below;
* a yearly metric without a value yet this year shows last year's, judged against last year's
  target, and says so ("helår 2025");
* a cumulative metric (year value = sum of the months) is judged against the share of its annual
  target due by the month of its latest value, spread evenly or by last year's monthly shape
  (``Indicator.target_profile``), and shows that share ("målvärde t.o.m. april: max 50 kWh/m²").

The rules themselves are in ``status.py``.
"""

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from organisation.models import OrgUnit
from scorecards.models import Aggregation, Frequency, Metric, Target, TargetProfile, YearValue

from .aggregation import aggregate, nearest_values
from .models import FollowUpOccasion, Measurement
from .status import (
    Status,
    TargetRule,
    metric_status,
    period_value,
    share_due,
    suggest_goal_status,
)


def period_label(year: int, month: int) -> str:
    """What a status covers: "helår 2025", or "utfall t.o.m. april 2026"."""
    if month == 12:
        return _("helår %(year)s") % {"year": year}
    return _("utfall t.o.m. %(month)s %(year)s") % {"month": MONTHS[month], "year": year}


@dataclass(frozen=True)
class FollowUpPoint:
    """Where statuses are read: January up to ``month`` of ``year``, or an occasion's months."""

    year: int
    month: int = 12
    occasion: FollowUpOccasion | None = None

    @classmethod
    def at(cls, occasion: FollowUpOccasion) -> "FollowUpPoint":
        return cls(occasion.year, occasion.end_month, occasion)

    @property
    def label(self) -> str:
        return period_label(self.year, self.month)


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
    year: int = 0  # the year evaluated
    last_month: int | None = None  # the month of the latest value ``value`` is formed from
    # For a cumulative metric before December: the share of the annual target due so far, and
    # the target as it was judged (``target`` keeps the annual one).
    target_share: Decimal | None = None
    judged_target: Target | None = None
    # {month: figure} aggregated from the units below, for an aggregating indicator
    computed: dict[int, Decimal] = field(default_factory=dict)

    @property
    def formatted_value(self) -> str:
        return self.metric.indicator.format(self.value)

    @property
    def covers(self) -> str:
        """What the value covers: "utfall t.o.m. april 2026", "helår 2025", or "" without one."""
        if self.value is None or self.last_month is None:
            return ""
        return period_label(self.value_year or self.year, self.last_month)

    @property
    def target_so_far(self) -> str:
        """ "målvärde t.o.m. april: max 50 kWh/m²" for a cumulative metric judged pro rata."""
        if self.judged_target is None or self.last_month is None:
            return ""
        return _("målvärde t.o.m. %(month)s: %(target)s") % {
            "month": MONTHS[self.last_month],
            "target": self.judged_target.label,
        }


@dataclass
class GoalResult:
    metrics: list[MetricResult]
    suggested: Status


class Statuses(dict):
    """{goal id: GoalResult} at a point of follow-up, and the label of what they cover."""

    def __init__(self, results: dict[int, GoalResult], point: FollowUpPoint):
        super().__init__(results)
        self.point = point

    @property
    def covers(self) -> str:
        """The point's label; for a year read without an occasion, up to the latest month any
        metric has a value for ("utfall t.o.m. oktober 2026"), as a year still running has no
        values for its last months."""
        if self.point.occasion is not None:
            return self.point.label
        months = [
            r.last_month
            for result in self.values()
            for r in result.metrics
            if r.last_month and r.value_year is None and r.value is not None
        ]
        if months:
            return period_label(self.point.year, min(max(months), self.point.month))
        if any(r.value_year for result in self.values() for r in result.metrics):
            return period_label(self.point.year - 1, 12)
        return self.point.label


def statuses_at(goal_ids, point: FollowUpPoint) -> Statuses:
    """The one composer: every goal's metrics and suggested status at ``point``."""
    return Statuses(evaluate_goals(goal_ids, year=point.year, month=point.month), point)


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


def computed_figures(pairs, year: int) -> dict[tuple[int, int], dict[int, Decimal]]:
    """{(indicator id, unit id): {month: figure}} for (indicator, unit id) pairs whose indicator
    aggregates, from the values of the units below.

    Every level counts, also one without values of its own (a förvaltning without a scorecard
    between a nämnd and its enheter): the figure combines the nearest units below that report
    the indicator this year (``aggregation.nearest_values``). Values are read level by level,
    only below units that report nothing, so a tree where every unit reports reads the children
    alone: one query for the tree and one per level read, none when no metric aggregates.
    """
    wanted = [(ind, unit) for ind, unit in pairs if ind.aggregation != Aggregation.NONE]
    if not wanted:
        return {}
    children = active_children()
    ids = {ind.pk for ind, _unit in wanted} | {
        ind.aggregation_weight_id for ind, _unit in wanted if ind.aggregation_weight_id
    }
    aggregating = {ind.pk for ind, _unit in wanted}
    found: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)  # (ind, month) → values
    reports: dict[int, set[int]] = defaultdict(set)  # indicator → units with a value this year
    level = {c for _ind, unit in wanted for c in children.get(unit, ())}
    for _depth in range(MAX_DEPTH):
        if not level:
            break
        for ind, unit, month, value in value_rows(
            Measurement.objects.filter(
                unit_id__in=level, indicator_id__in=ids, year=year
            ).values_list("indicator_id", "unit_id", "month", "value")
        ):
            found[(ind, month)][unit] = value
            reports[ind].add(unit)
        silent = {u for u in level if any(u not in reports[ind] for ind in aggregating)}
        level = {c for u in silent for c in children.get(u, ())}
    result: dict[tuple[int, int], dict[int, Decimal]] = {}
    for ind, parent in wanted:
        if (ind.pk, parent) in result:
            continue
        units = nearest_values(parent, children, reports[ind.pk])
        per_month = {}
        for month in range(1, 13):
            own = found.get((ind.pk, month), {})
            weights = found.get((ind.aggregation_weight_id, month), {})
            present = [u for u in units if u in own]
            figure = aggregate(
                ind.aggregation, [own[u] for u in present], [weights.get(u) for u in present]
            )
            if figure is not None:
                per_month[month] = figure
        result[(ind.pk, parent)] = per_month
    return result


# Deep enough for any real organisation; also stops a tree rearranged into a cycle.
MAX_DEPTH = 16


# The fields of a metric, its indicator and its goal's scorecard that a status depends on.
STATUS_FIELDS = (
    "goal_id",
    "indicator_id",
    "weight",
    "order",
    "indicator__aggregation",
    "indicator__aggregation_weight_id",
    "indicator__year_value",
    "indicator__target_profile",
    "indicator__frequency",
    "goal__scorecard_id",
    "goal__scorecard__unit_id",
)


def target_rule(target: Target | None) -> TargetRule | None:
    if target is None:
        return None
    return TargetRule(target.comparator, target.value, target.value_high, target.tolerance)


def evaluate_goals(
    goal_ids, *, year: int, month: int = 12, status_only: bool = False
) -> dict[int, GoalResult]:
    """{goal id: GoalResult} for the given goals, by the rules in the module docstring; four
    queries however many goals and values (two more when a metric aggregates). Pages call
    ``statuses_at``; this is its engine and the stored statuses' refresh.

    ``status_only`` is for recomputing stored statuses: last year's values are read only where a
    status can depend on them (yearly metrics, cumulative ones spread by last year's shape), so
    ``previous_year_value`` is set for those only. Half the values of a large import's refresh
    are then never read.
    """
    if status_only:  # rows, not model objects: building those was most of a large refresh
        metrics, targets = _status_rows(goal_ids, year)
    else:
        metrics = list(
            Metric.objects.filter(goal_id__in=goal_ids)
            .select_related("indicator", "goal__scorecard")
            .order_by("goal_id", "order", "pk")
        )
        by_pk = {m.pk: m for m in metrics}
        targets = {}
        for t in Target.objects.filter(metric__in=metrics, year__in=(year - 1, year)):
            t.metric = by_pk[t.metric_id]  # already loaded, with its indicator
            targets[(t.metric_id, t.year)] = t
    units = {m.goal.scorecard.unit_id for m in metrics}
    by_key: dict[tuple[int, int, int], list[PeriodValue]] = defaultdict(list)
    wanted = Q(year=year)
    if not status_only:
        wanted |= Q(year=year - 1)
    else:
        # Only last year's months of a target shaped by last year are read one by one; every
        # other series is read as its year figure, formed in the database (``_year_figures``).
        shaped = {m.indicator_id for m in metrics if _reads_last_year_shape(m.indicator)}
        wanted = Q(year=year - 1, indicator_id__in=shaped)
        by_key.update(_year_figures(metrics, units, year, month))
    for indicator_id, unit_id, row_year, row_month, value in value_rows(
        Measurement.objects.filter(
            wanted, series_filter((m.indicator_id, m.goal.scorecard.unit_id) for m in metrics)
        )
        .order_by("year", "month")
        .values_list("indicator_id", "unit_id", "year", "month", "value")
    ):
        by_key[(indicator_id, unit_id, row_year)].append(PeriodValue(row_year, row_month, value))

    computed = computed_figures([(m.indicator, m.goal.scorecard.unit_id) for m in metrics], year)

    results: dict[int, GoalResult] = {pk: GoalResult([], Status.NO_VALUE) for pk in goal_ids}
    for metric in metrics:
        unit_id = metric.goal.scorecard.unit_id
        own = by_key[(metric.indicator_id, unit_id, year)]
        results[metric.goal_id].metrics.append(
            _metric_result(
                metric,
                this_year=[m for m in own if m.month <= month],
                last_year=by_key[(metric.indicator_id, unit_id, year - 1)],
                computed=computed.get((metric.indicator_id, unit_id), {}),
                targets=(targets.get((metric.pk, year)), targets.get((metric.pk, year - 1))),
                year=year,
                month=month,
            )
        )
    for result in results.values():
        result.suggested = suggest_goal_status((r.status, r.metric.weight) for r in result.metrics)
    return results


def series_filter(pairs) -> Q:
    """Values of these (indicator id, unit id) series only. Goals of one unit read its
    indicators; goals across many units (a goal chain, an occasion) read each indicator at its
    own units, not every indicator at every unit — below a city goal that was half a million
    values read for sixty thousand used (#16)."""
    units_of: dict[int, set[int]] = defaultdict(set)
    for indicator_id, unit_id in pairs:
        units_of[indicator_id].add(unit_id)
    units = set().union(*units_of.values()) if units_of else set()
    if len(units) <= 1 or len(units_of) <= 1:  # every pair is wanted: one plain filter
        return Q(unit_id__in=units, indicator_id__in=units_of.keys())
    wanted = Q()
    for indicator_id, its_units in sorted(units_of.items()):
        wanted |= Q(indicator_id=indicator_id, unit_id__in=sorted(its_units))
    return wanted


class _Row:
    """A plain object with the attributes the rules read; ``status_only`` evaluates these, so a
    refresh of thousands of goals builds no model objects (one per indicator, not per metric)."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def _status_rows(goal_ids, year: int):
    """(metrics, {(metric id, year): target}) as ``_Row`` objects with the fields in
    ``STATUS_FIELDS``, in two queries: what ``evaluate_goals(status_only=True)`` evaluates."""
    indicators: dict[int, _Row] = {}
    metrics = []
    for pk, *row in (
        Metric.objects.filter(goal_id__in=goal_ids)
        .order_by("goal_id", "order", "pk")
        .values_list("pk", *STATUS_FIELDS)
    ):
        fields = dict(zip(STATUS_FIELDS, row, strict=True))
        ind_id = fields["indicator_id"]
        if ind_id not in indicators:
            indicators[ind_id] = _Row(
                pk=ind_id,
                aggregation=fields["indicator__aggregation"],
                aggregation_weight_id=fields["indicator__aggregation_weight_id"],
                year_value=fields["indicator__year_value"],
                target_profile=fields["indicator__target_profile"],
                frequency=fields["indicator__frequency"],
            )
        card = _Row(pk=fields["goal__scorecard_id"], unit_id=fields["goal__scorecard__unit_id"])
        metrics.append(
            _Row(
                pk=pk,
                goal_id=fields["goal_id"],
                indicator_id=ind_id,
                indicator=indicators[ind_id],
                weight=fields["weight"],
                order=fields["order"],
                goal=_Row(pk=fields["goal_id"], scorecard_id=card.pk, scorecard=card),
            )
        )
    targets = {}
    for metric_id, target_year, comparator, value, high, tolerance in Target.objects.filter(
        metric__goal_id__in=goal_ids, year__in=(year - 1, year)
    ).values_list("metric_id", "year", "comparator", "value", "value_high", "tolerance"):
        targets[(metric_id, target_year)] = _Row(
            metric_id=metric_id,
            year=target_year,
            comparator=comparator,
            value=value,
            value_high=high,
            tolerance=tolerance,
        )
    return metrics, targets


def _reads_last_year(indicator) -> bool:
    return indicator.frequency == Frequency.YEARLY or _reads_last_year_shape(indicator)


def _reads_last_year_shape(indicator) -> bool:
    return (
        indicator.year_value == YearValue.SUM
        and indicator.target_profile == TargetProfile.LAST_YEAR
    )


def _year_figures(metrics, units, year: int, month: int) -> dict:
    """{(indicator id, unit id, year): [one PeriodValue]}: each series of own values this year
    up to ``month`` (and last year where a status reads last year's figure) as a single value
    already formed by the indicator's year value rule, at the month of its latest value.

    ``period_value`` of that one value is the figure itself for every rule (last, sum, mean), so
    ``_metric_result`` applies the same rules to it; the database sums, counts and finds the
    latest month, so a refresh converts one value per series instead of twelve. One query.
    """
    if not metrics:
        return {}
    rules = {m.indicator_id: m.indicator.year_value for m in metrics}
    last_year = {m.indicator_id for m in metrics if _reads_last_year(m.indicator)}
    last_year -= {m.indicator_id for m in metrics if _reads_last_year_shape(m.indicator)}
    grouped = (
        Measurement.objects.filter(
            Q(year=year, month__lte=month) | Q(year=year - 1, indicator_id__in=last_year),
            unit_id__in=units,
            indicator_id__in=rules,
        )
        .values("indicator_id", "unit_id", "year")
        .annotate(total=Sum("value"), n=Count("pk"), last_month=Max("month"))
        .order_by()
    )
    inner, params = grouped.query.sql_with_params()
    table = connection.ops.quote_name(Measurement._meta.db_table)
    sql = (
        "SELECT g.indicator_id, g.unit_id, g.year, g.total, g.n, g.last_month, m.value "  # noqa: S608 - the table's name and Django's own SQL
        f"FROM ({inner}) g JOIN {table} m ON m.indicator_id = g.indicator_id "
        "AND m.unit_id = g.unit_id AND m.year = g.year AND m.month = g.last_month"
    )
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for indicator_id, unit_id, row_year, total, n, last_month, last in cursor.fetchall():
            rule = rules[indicator_id]
            if rule == YearValue.SUM:
                figure = _decimal(total)
            elif rule == YearValue.MEAN:
                figure = _decimal(total) / n
            else:
                figure = _decimal(last)
            found[(indicator_id, unit_id, row_year)] = [PeriodValue(row_year, last_month, figure)]
    return found


_FROM_FLOAT = Context(prec=15).create_decimal_from_float
_STORED = Decimal(1).scaleb(-4)  # Measurement.value's decimal places
_STORED_CONTEXT = Context(prec=18)  # Measurement.value's max_digits, as Django quantizes


def value_rows(rows) -> list[tuple]:
    """The rows of a ``values_list`` queryset whose last field is ``Measurement.value``, read on
    a plain cursor: the same tuples and Decimals as iterating the queryset, without Django's
    per-row converters and iterators, which were a fifth of a scorecard's statuses (a city reads
    its committees' 2,000–3,000 monthly values; #16). PostgreSQL hands back Decimals; SQLite
    floats or ints, converted exactly as Django's SQLite backend converts a DecimalField."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. no units: Django answers without asking the database
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not found or isinstance(found[0][-1], Decimal):
        return found
    return [(*row[:-1], _stored(row[-1])) for row in found]


def _stored(value) -> Decimal | None:
    """A value as Django's SQLite backend reads a Measurement.value column."""
    if value is None or isinstance(value, Decimal):
        return value
    return _FROM_FLOAT(value).quantize(_STORED, context=_STORED_CONTEXT)


def _decimal(value) -> Decimal:
    """A value as Django reads a Measurement.value column (SQLite hands back floats)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return _FROM_FLOAT(value).quantize(_STORED)
    return Decimal(value)


def _metric_result(metric, *, this_year, last_year, computed, targets, year, month):
    rule = metric.indicator.year_value
    values = [m.value for m in this_year]
    last_month = this_year[-1].month if this_year else None
    if not values:  # the unit has no own figure: use the one from the units below, if any
        months = sorted(mo for mo in computed if mo <= month)
        values = [computed[mo] for mo in months]
        last_month = months[-1] if months else None
    value = period_value(values, rule)
    previous = period_value([m.value for m in last_year], rule)
    target, last_target = targets
    value_year = None
    if value is None and metric.indicator.frequency == Frequency.YEARLY and previous is not None:
        # In November the latest known annual figure is what a reader wants to see.
        value, value_year, last_month = previous, year - 1, 12
        target = last_target or target
    share = judged = None
    if value_year is None and last_month:
        profile = {m.month: m.value for m in last_year}
        judged, share = judged_so_far(target, metric.indicator, last_month, profile)
    return MetricResult(
        metric=metric,
        target=target,
        value=value,
        status=metric_status(value, target_rule(judged or target)),
        values=this_year,
        previous_year_value=previous,
        value_year=value_year,
        year=year,
        last_month=last_month,
        target_share=share,
        judged_target=judged,
        computed=computed,
    )


def judged_so_far(
    target: Target | None, indicator, month: int, last_year: dict[int, Decimal] | None = None
) -> tuple[Target | None, Decimal | None]:
    """(the target a year-to-date value up to ``month`` is judged against, its share of the
    annual one) for a cumulative indicator before December; (None, None) when the annual target
    itself applies. ``last_year`` ({month: value}) shapes the share for the last-year profile.
    The pages, reports and trend charts all judge through this."""
    if target is None or indicator.year_value != YearValue.SUM:
        return None, None
    profile = last_year if indicator.target_profile == TargetProfile.LAST_YEAR else None
    share = share_due(month, profile)
    if share >= 1:
        return None, None
    return _scaled(target, share), share


def _scaled(target: Target, share: Decimal) -> Target:
    """The target's share due so far, as an unsaved copy that labels itself like the target."""
    scaled = copy.copy(target)
    scaled.value = target.value * share
    if target.value_high is not None:
        scaled.value_high = target.value_high * share
    scaled.tolerance = (target.tolerance or Decimal(0)) * share
    return scaled
