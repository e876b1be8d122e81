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
