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


# ── Through every level (#14.3) ──────────────────────────────────────────────────────────────

TREE = {1: [2, 3], 2: [4, 5], 3: [6]}  # nämnd 1; förvaltningar 2 and 3; enheter 4, 5, 6


@pytest.mark.parametrize(
    "own,expected",
    [
        ({4: D(1), 5: D(2), 6: D(3)}, [4, 5, 6]),  # no level in between has a value
        ({2: D(9), 4: D(1), 5: D(2), 6: D(3)}, [2, 6]),  # förvaltning 2's own figure wins
        ({}, []),
    ],
)
def test_the_nearest_units_with_values_count_once(own, expected):
    from followup.aggregation import nearest_values

    assert nearest_values(1, TREE, own) == expected


def _grandchildren(world):
    from core.testing import (
        make_goal,
        make_indicator,
        make_metric,
        make_scorecard,
        make_target,
        make_unit,
    )
    from scorecards.models import Aggregation, Comparator

    office = make_unit("Kontoret", parent=world.unit_a1)  # no scorecard of its own
    units = [make_unit(f"Enhet {i}", parent=office) for i in range(2)]
    indicator = make_indicator("Besökare", aggregation=Aggregation.SUM)
    goal = make_goal(make_scorecard(world.unit_a), "Förvaltningens mål")
    make_target(make_metric(goal, indicator), 10, comparator=Comparator.GTE)
    return units, indicator, goal


def test_a_figure_is_computed_from_grandchildren_across_a_level_without_values(world):
    from followup.evaluation import evaluate_goals
    from followup.models import GoalStatus, Measurement

    units, indicator, goal = _grandchildren(world)
    assert GoalStatus.objects.get(goal=goal).status == "no_value"
    for unit, value in zip(units, (4, 7), strict=True):
        Measurement.objects.create(indicator=indicator, unit=unit, year=2026, month=12, value=value)
    result = evaluate_goals([goal.pk], year=2026)[goal.pk].metrics[0]
    assert (result.value, result.status) == (D(11), "met")
    assert GoalStatus.objects.get(goal=goal).status == "met"  # refreshed by the grandchild's value


def test_an_inactive_unit_and_what_hangs_below_it_no_longer_count(world):
    from datetime import date

    from followup.evaluation import evaluate_goals
    from followup.models import Measurement

    units, indicator, goal = _grandchildren(world)
    for unit, value in zip(units, (4, 7), strict=True):
        Measurement.objects.create(indicator=indicator, unit=unit, year=2026, month=12, value=value)
    units[0].active_until = date(2000, 1, 1)
    units[0].save()
    assert evaluate_goals([goal.pk], year=2026)[goal.pk].metrics[0].value == D(7)
