"""The Kolada comparison beside a metric's own value, so the owner judges with it in view: the
comparison group's mean, Riket and our rank, for the latest year we have a value, from the local
benchmark cache (``kolada.benchmark``; no request to Kolada)."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Comparison:
    kpi: str
    year: int
    own: Decimal | None
    group_mean: Decimal | None
    riket: Decimal | None
    rank: tuple[int, int] | None  # (our place, how many), 1 = best by the indicator's direction


def kolada_comparison(indicator) -> Comparison | None:
    """None for an indicator without a Kolada KPI or without cached values."""
    from core.site import site_settings
    from kolada.benchmark import RIKET, benchmark, comparison_default

    kpi = (indicator.kolada_kpi or "").strip().upper()
    own = site_settings().kolada_id
    if not kpi or not own:
        return None
    comparison = [m for m in comparison_default() if m not in (own, RIKET)]
    result = benchmark(kpi=kpi, own=own, comparison=comparison, direction=indicator.direction)
    if not result.tables:
        return None
    table = result.tables[0]  # totals first
    own_row, mean, riket = table.own, table.row("mean"), table.row("riket")
    for i in range(len(result.years) - 1, -1, -1):
        if own_row.values[i] is not None:
            return Comparison(
                kpi,
                result.years[i],
                own_row.values[i],
                mean.values[i] if mean else None,
                riket.values[i] if riket else None,
                table.ranks[i],
            )
    return None


def kolada_comparisons(indicators) -> dict[int, Comparison]:
    """{indicator id: Comparison} for every indicator with a Kolada KPI and cached values, the
    same figures as ``kolada_comparison`` gives one by one, from one grouped read of the cache
    (a page with many metrics asks the database the same few times as a page with one)."""
    from core.site import site_settings
    from kolada.benchmark import RIKET, comparison_default
    from kolada.models import Gender, KoladaValue

    by_kpi: dict[str, list] = {}
    for indicator in indicators:
        kpi = (indicator.kolada_kpi or "").strip().upper()
        if kpi:
            by_kpi.setdefault(kpi, []).append(indicator)
    own = site_settings().kolada_id if by_kpi else ""
    if not own:
        return {}
    members = [m for m in comparison_default() if m not in (own, RIKET)]
    series: dict[str, dict[str, dict[int, Decimal]]] = {}
    cached = KoladaValue.objects.filter(
        kpi__in=list(by_kpi), municipality__in=[own, *members, RIKET], gender=Gender.TOTAL
    ).values_list("kpi", "municipality", "year", "value")
    for kpi, municipality, year, value in cached:
        series.setdefault(kpi, {}).setdefault(municipality, {})[year] = value
    found = {}
    for kpi, items in by_kpi.items():
        for indicator in items:
            comparison = _latest(kpi, series.get(kpi, {}), own, members, indicator.direction)
            if comparison is not None:
                found[indicator.pk] = comparison
    return found


def _latest(kpi: str, series: dict, own: str, members: list[str], direction: str):
    """The comparison in the latest year (of the benchmark's years) where we have a value."""
    from kolada.benchmark import MAX_YEARS, RIKET, quantize, rank

    years = sorted({y for m, values in series.items() if m != RIKET for y in values})
    for year in reversed(years[-MAX_YEARS:]):
        mine = series.get(own, {}).get(year)
        if mine is None:
            continue
        present = [series[m][year] for m in members if year in series.get(m, {})]
        mean = quantize(sum(present) / len(present)) if present else None
        values = {m: series[m][year] for m in [own, *members] if year in series.get(m, {})}
        riket = series.get(RIKET, {}).get(year)
        return Comparison(kpi, year, mine, mean, riket, rank(values, own, direction))
    return None
