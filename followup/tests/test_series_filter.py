"""Goals of many units read each indicator at its own units only (issue #16).

A goal chain or an occasion evaluates goals across hundreds of units; reading every indicator at
every one of those units read ten times the values that were used. What is read must not change
what is shown: evaluating the goals together gives each goal what evaluating it alone gives.
"""

from decimal import Decimal

import pytest

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
    make_unit,
)
from followup.evaluation import FollowUpPoint, series_filter, statuses_at
from followup.models import Measurement
from scorecards.models import Frequency


@pytest.fixture
def two_units(db):
    city = make_unit("Staden", kind="kommun")
    units = [make_unit(f"Enhet {n}", parent=city) for n in range(3)]
    indicators = [make_indicator(f"Mätetal {n}", frequency=Frequency.MONTHLY) for n in range(3)]
    goals = []
    for n, (unit, indicator) in enumerate(zip(units, indicators, strict=True)):
        goal = make_goal(make_scorecard(unit), f"Mål {n}")
        make_target(make_metric(goal, indicator), 10 + n)
        goals.append(goal)
    # Every unit has values of every indicator, as real units do: only its own are its goal's.
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator, unit=unit, year=year, month=month, value=Decimal(n + m + month)
        )
        for n, unit in enumerate(units)
        for m, indicator in enumerate(indicators)
        for year in (2025, 2026)
        for month in (1, 2, 3)
    )
    return units, indicators, goals


def test_goals_evaluated_together_get_what_each_gets_alone(two_units):
    units, indicators, goals = two_units
    point = FollowUpPoint(2026)
    together = statuses_at([g.pk for g in goals], point)
    for goal in goals:
        assert together[goal.pk] == statuses_at([goal.pk], point)[goal.pk]
        assert together[goal.pk].metrics[0].value is not None


def test_only_the_measured_series_are_read(two_units):
    units, indicators, goals = two_units
    pairs = [(indicators[n].pk, units[n].pk) for n in range(3)]
    read = Measurement.objects.filter(series_filter(pairs))
    assert {(m.indicator_id, m.unit_id) for m in read} == set(pairs)
    assert read.count() == 3 * 2 * 3  # three series, two years, three months; not nine series
    one_unit = [(indicators[n].pk, units[0].pk) for n in range(3)]
    assert Measurement.objects.filter(series_filter(one_unit)).count() == 3 * 2 * 3
    assert not Measurement.objects.filter(series_filter([])).exists()
