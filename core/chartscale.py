"""The value axis of every chart (follow-up trends, Kolada benchmarks): round bounds and steps."""

import math


def nice_scale(lowest: float, highest: float, ticks: int = 5) -> tuple[float, float, float]:
    """Axis bounds and step on round numbers (1, 2, 2.5 or 5 × 10ⁿ) around the data."""
    pad = (highest - lowest) * 0.05 or abs(lowest) * 0.1 or 1.0
    # Values that cannot be negative (most of them) should not get a negative axis from padding.
    lowest, highest = (lowest - pad if lowest < 0 or lowest - pad >= 0 else 0.0), highest + pad
    raw = (highest - lowest) / (ticks - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(lowest / step) * step, math.ceil(highest / step) * step, step


def tick_decimals(step: float) -> int:
    """How many decimals the tick labels need: none for a step of 1 or more, one for 0.5 …"""
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0
