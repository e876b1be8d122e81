"""How a unit's figure is computed from its child units' values (sum, mean, weighted mean)."""

from collections.abc import Sequence
from decimal import Decimal

from scorecards.models import Aggregation


def aggregate(
    rule: str, values: Sequence[Decimal], weights: Sequence[Decimal | None] = ()
) -> Decimal | None:
    """Combine child values; a weighted mean ignores children without a weight."""
    if not values or rule == Aggregation.NONE:
        return None
    if rule == Aggregation.SUM:
        return sum(values, Decimal(0))
    if rule == Aggregation.MEAN:
        return sum(values, Decimal(0)) / len(values)
    pairs = [(v, w) for v, w in zip(values, weights, strict=False) if w is not None and w > 0]
    total = sum((w for _, w in pairs), Decimal(0))
    if not total:
        return None
    return sum((v * w for v, w in pairs), Decimal(0)) / total
