"""How a unit's figure is computed from the values of the units below it (sum, mean, weighted
mean), through every level of the tree."""

from collections.abc import Container, Mapping, Sequence
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


def nearest_values(
    unit: int, children: Mapping[int, Sequence[int]], reporting: Container[int]
) -> list[int]:
    """The units below ``unit`` whose own values make its figure: each child that reports the
    indicator, and for a child that reports nothing (a förvaltning without a scorecard of its
    own), the nearest units below it that do — so every level counts once and a figure never
    counts twice."""
    found: list[int] = []
    stack = list(reversed(children.get(unit, ())))
    seen: set[int] = set()
    while stack:
        below = stack.pop()
        if below in seen:  # a tree rearranged into a cycle
            continue
        seen.add(below)
        if below in reporting:
            found.append(below)
        else:
            stack.extend(reversed(children.get(below, ())))
    return found
