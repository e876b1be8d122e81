"""Economy as a metric source: indicators whose source is "Ekonomi" fill their values from the
imported economy, through the one value write path (followup.entry.measurements_save), so
statuses, roll-ups and history follow as for any value.

Per unit (over its subtree) and month, year to date, signs as in the accounts:
- nettokostnad: utfall (costs − income), kronor;
- budgetavvikelse: budget − utfall, kronor (positive = better than budget);
- andel av budget förbrukad: utfall / the year's budget, per cent;
- resultat: −utfall (income − costs), kronor.

Values are written for the units whose scorecards of the year follow such an indicator, for the
months the indicator is due up to the last month with utfall; a locked month is left as it is.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from followup.entry import RowInput, measurements_save
from followup.locking import is_locked
from organisation.models import OrgUnit
from scorecards.models import EconomyFigure, Indicator, Metric, Source

from .models import Amount, Version

ZERO = Decimal(0)


def figure(kind: str, actual: Decimal, budget_ytd: Decimal, budget_year: Decimal) -> Decimal | None:
    if kind == EconomyFigure.NET_COST:
        return actual
    if kind == EconomyFigure.BUDGET_DEVIATION:
        return budget_ytd - actual
    if kind == EconomyFigure.RESULT:
        return -actual
    if kind == EconomyFigure.BUDGET_USED:
        return (
            None if not budget_year else (actual / abs(budget_year) * 100).quantize(Decimal("0.1"))
        )
    return None


def monthly_sums(unit: OrgUnit, year: int) -> tuple[dict, Decimal, int]:
    """({month: (utfall that month, budget that month)}, the year's budget, last month with
    utfall) over the unit's subtree, in one grouped query."""
    ids = OrgUnit.objects.descendants(unit, include_self=True).values("pk")
    rows = (
        Amount.objects.filter(unit_id__in=ids, year=year)
        .exclude(version=Version.FORECAST)
        .values("month")
        .annotate(
            actual=Sum("amount", filter=Q(version=Version.ACTUAL)),
            budget=Sum("amount", filter=Q(version=Version.BUDGET)),
        )
    )
    months = {r["month"]: (r["actual"], r["budget"] or ZERO) for r in rows}
    budget_year = sum((b for _a, b in months.values()), ZERO)
    last = max((m for m, (a, _b) in months.items() if a is not None), default=0)
    return months, budget_year, last


def refresh(year: int, *, user=None) -> int:
    """Write the year's economy figures for every indicator with source Ekonomi; returns how
    many values were created or changed."""
    indicators = {
        i.pk: i for i in Indicator.objects.filter(source=Source.ECONOMY).exclude(economy_figure="")
    }
    if not indicators:
        return 0
    followed = defaultdict(set)  # unit id -> indicator ids its scorecards of the year follow
    for unit_id, indicator_id in Metric.objects.filter(
        indicator_id__in=list(indicators), goal__scorecard__year=year
    ).values_list("goal__scorecard__unit_id", "indicator_id"):
        followed[unit_id].add(indicator_id)
    written, locks = 0, {}
    for unit in OrgUnit.objects.filter(pk__in=list(followed)):
        months, budget_year, last = monthly_sums(unit, year)
        actual = budget_ytd = ZERO
        for month in range(1, last + 1):
            a, b = months.get(month, (None, ZERO))
            actual += a or ZERO
            budget_ytd += b
            if is_locked(year, month, unit, cache=locks):
                continue
            inputs = []
            for pk in sorted(followed[unit.pk]):
                indicator = indicators[pk]
                if not indicator.due_in(month):
                    continue
                value = figure(indicator.economy_figure, actual, budget_ytd, budget_year)
                inputs.append(RowInput(pk, "" if value is None else str(value)))
            if not inputs:
                continue
            result = measurements_save(
                unit=unit, year=year, month=month, inputs=inputs, user=user,
                source=Source.ECONOMY, allowed=indicators, locks=locks,
            )  # fmt: skip
            written += result.created + result.updated
    return written
