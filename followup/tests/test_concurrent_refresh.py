"""Writers saving values at once never collide in the status refresh (issue #14.6).

Four writers save values for sibling units while their shared parent's goal aggregates them, so
every write refreshes the same parent goal. On PostgreSQL a refresh that deleted and re-inserted
the stored statuses answered ``duplicate key … followup_goalstatus_pkey`` and lost the write.
SQLite serialises writers, so the test needs a real PostgreSQL server.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
    make_unit,
)
from followup.entry import RowInput, measurements_save
from followup.evaluation import evaluate_goals
from followup.models import GoalStatus, Measurement
from organisation.models import UnitKind
from scorecards.models import Aggregation, Comparator, Frequency

WRITERS = 4
MONTHS = range(1, 13)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]


def test_concurrent_writers_refreshing_the_same_parent_all_succeed():
    parent = make_unit("Nämnden", kind=UnitKind.COMMITTEE)
    indicator = make_indicator("Besök", frequency=Frequency.MONTHLY, aggregation=Aggregation.SUM)
    parent_goal = make_goal(make_scorecard(parent), "Nämndens mål")
    make_target(make_metric(parent_goal, indicator), 10, comparator=Comparator.GTE)
    units = []
    for i in range(WRITERS):
        unit = make_unit(f"Enhet {i}", parent=parent)
        make_target(make_metric(make_goal(make_scorecard(unit)), indicator), 1)
        units.append(unit)
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(unit):
        try:
            start.wait()
            for month in MONTHS:
                result = measurements_save(
                    unit=unit,
                    year=2026,
                    month=month,
                    inputs=[RowInput(indicator.pk, str(month))],
                    user=None,
                    allowed={indicator.pk: indicator},
                )
                assert result.ok, result.errors
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(u,)) for u in units]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Measurement.objects.filter(indicator=indicator).count() == WRITERS * len(MONTHS)
    goals = list(GoalStatus.objects.values_list("goal_id", flat=True))
    stored = dict(GoalStatus.objects.values_list("goal_id", "status"))
    fresh = evaluate_goals(goals, year=2026)
    assert stored == {pk: r.suggested for pk, r in fresh.items()}
    assert stored[parent_goal.pk] == "met"  # 4 × 12 = 48 ≥ 10
