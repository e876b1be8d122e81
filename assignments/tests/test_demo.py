"""The demo city's assignments: at least six, from fullmäktige and kommunstyrelsen to nämnder and
bolag, in several states, one overdue; loading again changes nothing."""

from datetime import date

import pytest

from assignments import rules
from assignments.models import Assignment, AssignmentReceiver, AssignmentReport
from demo.tests.test_demo import all_counts, demo, fast_passwords, load_demo  # noqa: F401
from organisation.models import UnitKind

pytestmark = pytest.mark.django_db


def test_six_decided_assignments_from_the_council_and_the_board(demo):  # noqa: F811
    decided = Assignment.objects.filter(decided_on__isnull=False)
    assert decided.count() >= 6
    assert set(decided.values_list("decided_by", flat=True)) == {
        "Kommunfullmäktige",
        "Kommunstyrelsen",
    }
    kinds = set(AssignmentReceiver.objects.values_list("unit__kind", flat=True))
    assert {UnitKind.COMMITTEE, UnitKind.COMPANY} <= kinds


def test_several_states_one_overdue_and_closed_ones(demo):  # noqa: F811
    statuses = set(AssignmentReport.objects.values_list("status", flat=True))
    assert statuses == {"not_started", "ongoing", "done", "abandoned", "replaced"}
    overdue = Assignment.objects.filter(rules.overdue_assignments_q(date(2026, 12, 1)))
    assert list(overdue.values_list("title", flat=True)) == [
        "Utreda fler laddplatser vid stadens fastigheter"
    ]
    closed = Assignment.objects.filter(closed_on__isnull=False)
    assert {bool(a.close_decided_on) for a in closed} == {True, False}  # decision, comment
    assert Assignment.objects.filter(decided_on__isnull=True).count() == 1  # a draft


def test_loading_again_changes_no_counts(demo):  # noqa: F811
    before = all_counts()
    load_demo()
    assert all_counts() == before
