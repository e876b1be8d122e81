"""The stored statuses' refresh forms year figures in the database (issue #16.5); it must give
what the pages' full evaluation gives, for every year value rule and every way a status reads
last year. Runs on SQLite (values come back as floats) and PostgreSQL (exact numerics) alike."""

from decimal import Decimal as D

import pytest

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
    make_unit,
)
from followup.evaluation import evaluate_goals
from followup.models import Measurement
from followup.rollup import refresh_goal_statuses, stale_statuses
from scorecards.models import Aggregation, Comparator, Frequency, TargetProfile, YearValue

pytestmark = pytest.mark.django_db

# Each indicator's values are chosen so that its figure lies on its target's boundary: a rule
# applied to the wrong months or a sum off by a float's error changes the status.
CASES = [
    # (year value, frequency, profile, this year's {month: value}, last year's, comparator, target)
    (YearValue.LAST, Frequency.MONTHLY, TargetProfile.PRO_RATA, {1: "9.9", 5: "10.1"}, {}, Comparator.GTE, "10.1"),
    (YearValue.SUM, Frequency.MONTHLY, TargetProfile.PRO_RATA, {m: "0.1" for m in range(1, 13)}, {}, Comparator.GTE, "1.2"),
    (YearValue.SUM, Frequency.MONTHLY, TargetProfile.PRO_RATA, {1: "0.1", 2: "0.2", 3: "0.3"}, {}, Comparator.LTE, "0.15"),
    (YearValue.MEAN, Frequency.MONTHLY, TargetProfile.PRO_RATA, {1: "1", 2: "2", 3: "2"}, {}, Comparator.GTE, "1.6667"),
    (YearValue.SUM, Frequency.MONTHLY, TargetProfile.LAST_YEAR, {1: "3", 2: "3"}, {1: "1", 2: "1", 7: "8"}, Comparator.GTE, "30"),
    (YearValue.LAST, Frequency.YEARLY, TargetProfile.PRO_RATA, {}, {6: "70", 12: "81.5"}, Comparator.GTE, "81.5"),
    (YearValue.SUM, Frequency.YEARLY, TargetProfile.PRO_RATA, {}, {3: "0.7", 12: "0.7"}, Comparator.LTE, "1.4"),
]  # fmt: skip


def test_the_refresh_in_bulk_gives_the_statuses_and_figures_of_the_full_evaluation():
    board = make_unit("Nämnden")
    unit = make_unit("Enheten", parent=board)
    summed = make_indicator("Besök", aggregation=Aggregation.SUM)  # the board's figure from below
    card, goals = make_scorecard(unit), []
    for rule, frequency, profile, now, before, comparator, target in CASES:
        indicator = make_indicator(
            f"{rule} {frequency}", year_value=rule, frequency=frequency, target_profile=profile
        )
        goal = make_goal(card, f"Mål {indicator.name}")
        metric = make_metric(goal, indicator)
        make_target(metric, target, comparator=comparator)
        make_target(metric, target, comparator=comparator, year=2025)
        for year, months in ((2026, now), (2025, before)):
            for month, value in months.items():
                Measurement.objects.create(
                    indicator=indicator, unit=unit, year=year, month=month, value=D(value)
                )
        goals.append(goal.pk)
    above = make_goal(make_scorecard(board), "Nämndens mål")
    make_target(make_metric(above, summed), 7)
    make_target(make_metric(make_goal(card, "Enhetens"), summed), 1)
    for month, value in ((1, "3.5"), (2, "3.5")):
        Measurement.objects.create(indicator=summed, unit=unit, year=2026, month=month, value=value)
    goals.append(above.pk)

    full = evaluate_goals(goals, year=2026)
    lean = evaluate_goals(goals, year=2026, status_only=True)
    for pk in goals:
        assert lean[pk].suggested == full[pk].suggested, pk
        assert [(r.value, r.status, r.last_month) for r in lean[pk].metrics] == [
            (r.value, r.status, r.last_month) for r in full[pk].metrics
        ]
    # Not all the same status: the cases test the boundaries on both sides.
    assert len({full[pk].suggested for pk in goals}) > 1
    refresh_goal_statuses(goals)
    assert stale_statuses(goals) == []
