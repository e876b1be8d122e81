"""Stored statuses are never stale (issue #14.5): random edits, then stored == recomputed.

Hypothesis applies random sequences of the edits a stored status depends on — values, targets,
indicator fields, unit activation and moves, metric weights, goal links, assessments — to a small
tree (kommun → nämnd → förvaltning without a scorecard → two enheter) and checks after every
step that nothing stored differs from a fresh computation. Runs on SQLite and PostgreSQL alike.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
    make_unit,
)
from followup.models import Assessment, FollowUpOccasion, Measurement
from followup.rollup import stale_statuses
from organisation.models import UnitKind
from scorecards.models import Aggregation, Comparator, Direction, Frequency, YearValue

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    """Undoes one example's tree, so the next starts from nothing."""


def _tree():
    city = make_unit("Staden", kind=UnitKind.MUNICIPALITY)
    board = make_unit("Nämnden", parent=city, kind=UnitKind.COMMITTEE)
    office = make_unit("Förvaltningen", parent=board, kind=UnitKind.ADMINISTRATION)
    units = [city, board, office] + [make_unit(f"Enhet {i}", parent=office) for i in range(2)]
    weight = make_indicator("Anställda", frequency=Frequency.MONTHLY)
    indicators = [
        make_indicator("Besök", frequency=Frequency.MONTHLY, aggregation=Aggregation.SUM),
        make_indicator(
            "Nöjdhet",
            frequency=Frequency.MONTHLY,
            aggregation=Aggregation.WEIGHTED_MEAN,
            aggregation_weight=weight,
        ),
        make_indicator("Kostnad", frequency=Frequency.YEARLY),
        weight,
    ]
    goals, metrics = [], []
    for unit in (city, board, units[3], units[4]):
        goal = make_goal(make_scorecard(unit), f"Mål för {unit.name}")
        for ind in indicators[:3]:
            metric = make_metric(goal, ind)
            make_target(metric, 10, comparator=Comparator.GTE, tolerance=2)
            metrics.append(metric)
        goals.append(goal)
    for lower, upper in zip(goals[1:], goals, strict=False):
        lower.contributes_to.add(upper)
    for unit in units[3:]:  # values to start from, so that every kind of edit matters at once
        for ind, value in zip(indicators, (6, 9, 12, 3), strict=True):
            Measurement.objects.create(indicator=ind, unit=unit, year=2026, month=4, value=value)
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    return dict(units=units, indicators=indicators, goals=goals, metrics=metrics, occ=occasion)


small = st.integers(min_value=0, max_value=20)
EDITS = st.one_of(
    st.tuples(
        st.just("value"),
        st.integers(0, 4),
        st.integers(0, 3),
        st.sampled_from([4, 12]),
        small,
        st.sampled_from([2025, 2026]),
    ),  # fmt: skip
    st.tuples(st.just("no_value"), st.integers(0, 4), st.integers(0, 3)),
    st.tuples(
        st.just("target"),
        st.integers(0, 11),
        small,
        st.sampled_from([Comparator.GTE, Comparator.LTE]),
    ),  # fmt: skip
    st.tuples(st.just("direction"), st.integers(0, 3), st.sampled_from(list(Direction))),
    st.tuples(
        st.just("aggregation"),
        st.integers(0, 2),
        st.sampled_from([Aggregation.NONE, Aggregation.SUM, Aggregation.MEAN]),
    ),  # fmt: skip
    st.tuples(st.just("frequency"), st.integers(0, 2), st.sampled_from(list(Frequency))),
    st.tuples(st.just("year_value"), st.integers(0, 2), st.sampled_from(list(YearValue))),
    st.tuples(st.just("active"), st.integers(2, 4), st.booleans()),
    st.tuples(st.just("move"), st.integers(3, 4), st.integers(1, 2)),
    st.tuples(st.just("weight"), st.integers(0, 11), st.integers(0, 3)),
    st.tuples(st.just("unlink"), st.integers(1, 3)),
    st.tuples(
        st.just("assess"),
        st.integers(0, 3),
        st.sampled_from(["met", "close", "not_met", "not_assessed", None]),
    ),  # fmt: skip
)


def _apply(t, edit) -> None:  # noqa: C901 - one branch per kind of edit, read as a table
    kind, *args = edit
    units, indicators, metrics, goals = t["units"], t["indicators"], t["metrics"], t["goals"]
    if kind == "value":
        unit, ind, month, value, year = args
        Measurement.objects.update_or_create(
            indicator=indicators[ind], unit=units[unit], year=year, month=month,
            defaults={"value": Decimal(value)},
        )  # fmt: skip
    elif kind == "no_value":
        unit, ind = args
        for m in Measurement.objects.filter(indicator=indicators[ind], unit=units[unit]):
            m.delete()
    elif kind == "target":
        metric, value, comparator = args
        target = metrics[metric].targets.get()
        target.value, target.comparator = Decimal(value), comparator
        target.save()
    elif kind in ("direction", "aggregation", "frequency", "year_value"):
        ind, value = args
        setattr(indicators[ind], kind, value)
        indicators[ind].save()
    elif kind == "active":
        unit, active = args
        units[unit].active_until = None if active else date(2000, 1, 1)
        units[unit].save()
    elif kind == "move":
        unit, parent = args
        units[unit].parent = units[parent]
        units[unit].save()
    elif kind == "weight":
        metric, weight = args
        metrics[metric].weight = Decimal(weight)
        metrics[metric].save()
    elif kind == "unlink":
        goals[args[0]].contributes_to.clear()
    elif kind == "assess":
        goal, status = args
        if status is None:
            for a in Assessment.objects.filter(goal=goals[goal]):
                a.delete()
        else:
            Assessment.objects.update_or_create(
                goal=goals[goal], occasion=t["occ"], defaults={"status": status}
            )


@settings(
    max_examples=30,
    database=None,  # no .hypothesis folder in the checkout; each run explores afresh
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(EDITS, min_size=1, max_size=10))
def test_stored_statuses_equal_recomputed_ones_after_every_edit(db, edits):
    try:
        with transaction.atomic():
            tree = _tree()
            assert stale_statuses() == []
            for step, edit in enumerate(edits):
                _apply(tree, edit)
                assert stale_statuses() == [], f"stale after step {step}: {edit}"
            raise Rollback
    except Rollback:
        pass


def test_the_check_command_exits_1_and_names_a_stale_status(db, capsys):
    tree = _tree()
    Measurement.objects.bulk_create(  # past the signals, as a raw bulk load would
        [
            Measurement(
                indicator=tree["indicators"][2],
                unit=tree["units"][3],
                year=2026,
                month=12,
                value=Decimal(1),
            )
        ]  # fmt: skip
    )
    with pytest.raises(SystemExit) as exit_:
        call_command("refresh_statuses", "--check")
    assert exit_.value.code == 1
    assert "Mål för Enhet 0" in capsys.readouterr().out
    call_command("refresh_statuses")
    call_command("refresh_statuses", "--check")  # exits 0: nothing raised
    assert "Inaktuella målstatusar: 0" in capsys.readouterr().out
