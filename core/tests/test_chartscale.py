"""The one value axis of every chart, and the one Swedish number format, used everywhere."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from core.chartscale import nice_scale, tick_decimals
from core.numbers import format_number


@pytest.mark.parametrize(
    ("lowest", "highest", "expected"),
    [
        (120.0, 160.0, (100, 180, 20)),
        (0.0, 0.0, (0.0, 1.0, 0.25)),
        (2.0, 3.0, (1.5, 3.5, 0.5)),
        (-5.0, 40.0, (-20, 60, 20)),
    ],
)
def test_the_scale_is_round_and_holds_the_data(lowest, highest, expected):
    low, high, step = nice_scale(lowest, highest)
    assert (low, high, step) == expected
    assert low <= lowest and high >= highest


def test_a_scale_of_values_that_are_never_negative_starts_at_zero_not_below():
    assert nice_scale(0.5, 40.0) == (0, 60, 20)  # padding alone would start at -1.5


def test_tick_labels_get_the_decimals_their_step_needs():
    assert [tick_decimals(s) for s in (20.0, 1.0, 0.5, 0.05)] == [0, 0, 1, 2]


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1234.5"), 1, "1\u00a0234,5"),
        (Decimal("1234567"), 0, "1\u00a0234\u00a0567"),
        (-0.0, 1, "0,0"),
        (Decimal("-0.00"), 2, "0,00"),
        (Decimal("-3.25"), 1, "-3,2"),
        (0.125, 2, "0,12"),
    ],
)
def test_numbers_are_written_the_swedish_way(value, decimals, text):
    assert format_number(value, decimals) == text


def test_no_module_formats_numbers_or_scales_axes_on_its_own():
    """The format and the scale live once: a second ``.replace(",", "\\u00a0")`` or a second
    ``nice_scale`` elsewhere is the duplicate this module ended."""
    root = Path(settings.BASE_DIR)
    left = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if {".venv", "tests", "node_modules"} & set(rel.parts):
            continue
        if rel.as_posix() in ("core/numbers.py", "core/chartscale.py"):
            continue
        source = path.read_text(encoding="utf-8")
        if 'replace(",", "\\u00a0")' in source:
            left.append(f"{rel}: formats numbers itself")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") in (
                "nice_scale",
                "format_number",
            ):
                left.append(f"{rel}: defines {node.name}")
    assert not left, left
