"""A unit's economy for a year up to a month, summed over its subtree, by income-statement row.

Each figure is a sum over the unit and every unit below it, read in a few set-based queries
(one for budget and utfall, one for forecasts, one for the subtree), whatever the tree's size.
Signs are the accounts': income negative, costs positive, so a sum is a net cost and the
deviation (avvikelse) budget − utfall is positive when the outcome is better than budgeted.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q, Sum

from organisation.models import OrgUnit

from .mapping import ensure_default_statement
from .models import Amount, ForecastNote, Version

ZERO = Decimal(0)


@dataclass
class Line:
    name: str
    row_id: int | None = None
    budget: Decimal = ZERO  # the whole year
    budget_ytd: Decimal = ZERO
    actual_ytd: Decimal = ZERO
    forecast: Decimal | None = None  # the whole year, as last forecast up to the month

    @property
    def deviation_ytd(self) -> Decimal:
        return self.budget_ytd - self.actual_ytd

    @property
    def deviation_ytd_pct(self) -> Decimal | None:
        return _pct(self.deviation_ytd, self.budget_ytd)

    @property
    def deviation_year(self) -> Decimal | None:
        return None if self.forecast is None else self.budget - self.forecast

    @property
    def deviation_year_pct(self) -> Decimal | None:
        dev = self.deviation_year
        return None if dev is None else _pct(dev, self.budget)

    @property
    def used_pct(self) -> Decimal | None:
        """Andel av budget förbrukad: utfall so far of the whole year's budget."""
        return _pct(self.actual_ytd, self.budget)


@dataclass
class Economy:
    unit: OrgUnit
    year: int
    month: int
    lines: list[Line] = field(default_factory=list)
    total: Line = field(default_factory=lambda: Line(""))
    has_data: bool = False


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part / abs(whole) * 100).quantize(Decimal("0.1"))


def subtree_ids(unit: OrgUnit) -> list[int]:
    return list(OrgUnit.objects.descendants(unit, include_self=True).values_list("pk", flat=True))


def latest_month(unit_ids, year: int) -> int:
    """The last month with utfall for these units in the year (12 if none)."""
    found = Amount.objects.filter(
        unit_id__in=unit_ids, year=year, version=Version.ACTUAL
    ).aggregate(m=Max("month"))["m"]
    return found or 12


def economy(unit: OrgUnit, year: int, month: int | None = None, *, ids=None) -> Economy:
    ids = subtree_ids(unit) if ids is None else ids
    month = month or latest_month(ids, year)
    rows = ensure_default_statement()
    lines = {r.pk: Line(r.name, r.pk) for r in rows}
    sums = (
        Amount.objects.filter(
            unit_id__in=ids, year=year, version__in=[Version.ACTUAL, Version.BUDGET]
        )
        .values("row_id")
        .annotate(
            budget=Sum("amount", filter=Q(version=Version.BUDGET)),
            budget_ytd=Sum("amount", filter=Q(version=Version.BUDGET, month__lte=month)),
            actual_ytd=Sum("amount", filter=Q(version=Version.ACTUAL, month__lte=month)),
        )
    )
    found = False
    for s in sums:
        line = lines.get(s["row_id"])
        if line is None:
            continue
        found = True
        line.budget = s["budget"] or ZERO
        line.budget_ytd = s["budget_ytd"] or ZERO
        line.actual_ytd = s["actual_ytd"] or ZERO
    forecast = forecasts(ids, year, month)
    for row_id, amount in forecast.items():
        if row_id in lines:
            found = True
            lines[row_id].forecast = amount
    if forecast:  # once a forecast is given, a row without one is forecast as budgeted
        for line in lines.values():
            if line.forecast is None:
                line.forecast = line.budget
    result = Economy(unit, year, month, list(lines.values()), has_data=found)
    result.total = _total(result.lines)
    return result


def forecasts(ids, year: int, month: int) -> dict[int, Decimal]:
    """{row id: the whole year's forecast} over the units ``ids`` (a subtree). A unit's forecast
    covers the unit and everything below it (a nämnd forecasts for its whole administration), so
    forecasts below a forecasting unit are not added again; a part of the subtree no forecast
    covers counts with its budget (no forecast = as budgeted). Each unit's latest forecast up
    to ``month`` counts."""
    latest: dict = {}
    for unit_id, row_id, amount in (
        Amount.objects.filter(
            unit_id__in=ids, year=year, version=Version.FORECAST, month__lte=month
        )
        .order_by("month")
        .values_list("unit_id", "row_id", "amount")
    ):
        latest[(unit_id, row_id)] = amount  # ordered by month: the last one wins
    if not latest:
        return {}
    parents = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "parent_id"))

    def covering(unit_id, row_id):
        """The topmost unit at or above ``unit_id`` (within the subtree) forecasting the row."""
        found, node = None, unit_id
        while node in parents:
            if (node, row_id) in latest:
                found = node
            node = parents[node]
        return found

    out: dict[int, Decimal] = defaultdict(Decimal)
    for (unit_id, row_id), amount in latest.items():
        if covering(unit_id, row_id) == unit_id:
            out[row_id] += amount
    budgets = (
        Amount.objects.filter(
            unit_id__in=ids, year=year, version=Version.BUDGET, row_id__in=list(out)
        )
        .values("unit_id", "row_id")
        .annotate(total=Sum("amount"))
    )
    for b in budgets:
        if covering(b["unit_id"], b["row_id"]) is None:
            out[b["row_id"]] += b["total"]
    return dict(out)


def _total(lines: list[Line]) -> Line:
    total = Line("")
    total.budget = sum((x.budget for x in lines), ZERO)
    total.budget_ytd = sum((x.budget_ytd for x in lines), ZERO)
    total.actual_ytd = sum((x.actual_ytd for x in lines), ZERO)
    with_forecast = [x for x in lines if x.forecast is not None]
    if with_forecast:
        total.forecast = sum(
            (x.forecast if x.forecast is not None else x.budget for x in lines), ZERO
        )
    return total


def children_totals(unit: OrgUnit, year: int, month: int) -> list[tuple[OrgUnit, Line]]:
    """Each child unit's net totals over its own subtree: one query for all amounts by unit,
    rolled up the tree in Python."""
    children = list(OrgUnit.objects.filter(parent=unit).order_by("order", "name"))
    if not children:
        return []
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    top_of = {}
    child_ids = {c.pk for c in children}
    for pk in parents:
        node = pk
        while node is not None and node not in child_ids:
            node = parents.get(node)
        if node is not None:
            top_of[pk] = node
    lines = {c.pk: Line(c.name) for c in children}
    sums = (
        Amount.objects.filter(unit_id__in=list(top_of), year=year)
        .exclude(version=Version.FORECAST)
        .values("unit_id")
        .annotate(
            budget=Sum("amount", filter=Q(version=Version.BUDGET)),
            budget_ytd=Sum("amount", filter=Q(version=Version.BUDGET, month__lte=month)),
            actual_ytd=Sum("amount", filter=Q(version=Version.ACTUAL, month__lte=month)),
        )
    )
    for s in sums:
        line = lines[top_of[s["unit_id"]]]
        line.budget += s["budget"] or ZERO
        line.budget_ytd += s["budget_ytd"] or ZERO
        line.actual_ytd += s["actual_ytd"] or ZERO
    return [(c, lines[c.pk]) for c in children]


def note(unit: OrgUnit, year: int, month: int) -> ForecastNote | None:
    return ForecastNote.objects.filter(unit=unit, year=year, month=month).first()
