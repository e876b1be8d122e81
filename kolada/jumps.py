"""Values that jump far from their series: the sync names them so a person reviews them.

Kolada sometimes publishes a figure that cannot be right (Helsingborg's N15428 was 86.2 % for
years; a value of 11.1 the next year is far more likely an error than news). The sync still
writes it – Kolada is the source, and a person's values are protected anyway – but its report
lists it under "Granska".

The rule, kept simple so an administrator can check it by hand:

* the *neighbours* of a year are the series' other values within ``JUMP_YEARS`` years before
  and after it;
* a value *jumps far* when it lies outside the neighbours' range (lowest to highest) by more
  than ``JUMP_RATIO`` times the neighbours' median (its absolute value).

Measuring from the range, not from the median, lets a steady trend and a volatile series' usual
swings pass (on the recorded real series only the one-off swings of "Årets resultat" in 2021–22
reach the threshold); scaling by the median makes the rule the same for percentages, tonnes or
kronor. A value without neighbours is not judged.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

JUMP_YEARS = 3  # neighbours: this many years before and after
JUMP_RATIO = Decimal("0.5")  # outside the neighbours' range by more than half their median


@dataclass(frozen=True)
class Jump:
    year: int
    value: Decimal
    low: Decimal  # the neighbours' range …
    high: Decimal
    median: Decimal  # … and median


def jumps(series: dict[int, Decimal], years: Iterable[int]) -> list[Jump]:
    """The values of ``years`` (in ``series``: year → value) that jump far from their
    neighbours, in year order."""
    found = []
    for year in sorted(set(years)):
        value = series.get(year)
        if value is None:
            continue
        neighbours = [
            v
            for y, v in series.items()
            if v is not None and y != year and abs(y - year) <= JUMP_YEARS
        ]
        if not neighbours:
            continue
        low, high = min(neighbours), max(neighbours)
        middle = Decimal(statistics.median(neighbours))
        outside = max(low - value, value - high, Decimal(0))
        if outside > JUMP_RATIO * abs(middle):
            found.append(Jump(year, value, low, high, middle))
    return found
