from decimal import Decimal as D

import pytest

from followup.aggregation import aggregate


@pytest.mark.parametrize(
    "rule,values,weights,expected",
    [
        ("sum", ["1", "2", "3"], [], D(6)),
        ("mean", ["1", "2", "3"], [], D(2)),
        ("weighted_mean", ["10", "20"], ["1", "3"], D("17.5")),
        ("weighted_mean", ["10", "20"], ["1", None], D(10)),
        ("weighted_mean", ["10"], [None], None),
        ("none", ["1"], [], None),
        ("sum", [], [], None),
    ],
)
def test_child_values_combine_by_the_indicators_rule(rule, values, weights, expected):
    ws = [D(w) if w else None for w in weights]
    assert aggregate(rule, [D(v) for v in values], ws) == expected
