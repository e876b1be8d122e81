"""The status rules, closing, overdue, locking and lost updates of assignments."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assignments import rules
from assignments.models import Assignment, AssignmentReceiver, AssignmentStatus
from followup.assessments import StaleVersion
from followup.locking import PeriodLocked
from followup.models import OccasionUnitLock

from .conftest import make_assignment


def _receiver(assignment, unit):
    return AssignmentReceiver.objects.get(assignment=assignment, unit=unit)


def _save(receiver, occasion, user, status, comment="", version=0):
    return rules.report_save(
        receiver=receiver,
        occasion=occasion,
        user=user,
        status=status,
        comment=comment,
        version=version,
    )


@pytest.mark.parametrize(
    ("status", "comment", "ok"),
    [
        (AssignmentStatus.NOT_STARTED, "", True),
        (AssignmentStatus.ONGOING, "", True),
        (AssignmentStatus.DONE, "", True),
        (AssignmentStatus.ABANDONED, "", False),
        (AssignmentStatus.ABANDONED, "Ersattes av ny lag", True),
        (AssignmentStatus.REPLACED, "  ", False),
        (AssignmentStatus.REPLACED, "KF § 40", True),
        ("made_up", "text", False),
    ],
)
def test_status_rules(status, comment, ok):
    if ok:
        rules.check_report(status=status, comment=comment)
    else:
        with pytest.raises(ValidationError):
            rules.check_report(status=status, comment=comment)


def test_a_report_is_saved_with_its_history(world, assignment, occasion):
    receiver = _receiver(assignment, world.unit_a1)
    report = _save(receiver, occasion, world.reporter, AssignmentStatus.ONGOING, "Utredning pågår")
    assert report.version == 1 and report.reported_by == world.reporter
    assert report.history.count() == 1


def test_the_second_of_two_saves_is_told_and_overwrites_nothing(world, assignment, occasion):
    receiver = _receiver(assignment, world.unit_a1)
    first = _save(receiver, occasion, world.reporter, AssignmentStatus.ONGOING)
    _save(receiver, occasion, world.editor, AssignmentStatus.DONE, version=first.version)
    with pytest.raises(StaleVersion) as caught:
        _save(receiver, occasion, world.reporter, AssignmentStatus.NOT_STARTED, version=1)
    assert caught.value.current.status == AssignmentStatus.DONE
    with pytest.raises(StaleVersion):  # a second "new" report is stale too
        _save(receiver, occasion, world.reporter, AssignmentStatus.NOT_STARTED)


def test_a_locked_occasion_takes_no_report(world, assignment, occasion):
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_a)
    with pytest.raises(PeriodLocked):
        _save(_receiver(assignment, world.unit_a1), occasion, world.reporter, "ongoing")
    # Skolförvaltningen is outside the locked subtree.
    _save(_receiver(assignment, world.unit_b), occasion, world.admin, "ongoing")


def test_closing_needs_a_decision_or_a_comment(world, assignment):
    with pytest.raises(ValidationError):
        rules.assignment_close(assignment=assignment, user=world.admin, data={}, version=1)
    with pytest.raises(ValidationError):  # a body without a date is no decision
        rules.assignment_close(
            assignment=assignment,
            user=world.admin,
            data={"close_decided_by": "Kommunfullmäktige"},
            version=1,
        )
    closed = rules.assignment_close(
        assignment=assignment,
        user=world.admin,
        data={"close_decided_by": "Kommunfullmäktige", "close_decided_on": date(2026, 11, 1)},
        version=1,
    )
    assert closed.closed_on == date(2026, 11, 1) and closed.version == 2


def test_closing_with_a_comment_closes_today(world, assignment):
    closed = rules.assignment_close(
        assignment=assignment, user=world.admin, data={"close_comment": "Inaktuellt"}, version=1
    )
    assert closed.is_closed and closed.close_comment == "Inaktuellt"


def test_a_closed_assignment_takes_no_report(world, assignment, occasion):
    rules.assignment_close(
        assignment=assignment, user=world.admin, data={"close_comment": "Klart"}, version=1
    )
    with pytest.raises(ValidationError):
        _save(_receiver(assignment, world.unit_a1), occasion, world.reporter, "done")


def test_closing_with_a_stale_version_changes_nothing(world, assignment):
    with pytest.raises(StaleVersion):
        rules.assignment_close(
            assignment=assignment, user=world.admin, data={"close_comment": "x"}, version=7
        )
    assert not Assignment.objects.get(pk=assignment.pk).is_closed


@pytest.mark.parametrize(
    ("deadline", "status", "closed", "overdue"),
    [
        (date(2026, 6, 30), None, False, True),
        (date(2026, 6, 30), AssignmentStatus.ONGOING, False, True),
        (date(2026, 6, 30), AssignmentStatus.DONE, False, False),
        (date(2026, 6, 30), AssignmentStatus.REPLACED, False, False),
        (date(2026, 6, 30), AssignmentStatus.ONGOING, True, False),
        (date(2026, 7, 1), AssignmentStatus.ONGOING, False, False),  # due today: not yet late
        (None, AssignmentStatus.ONGOING, False, False),
    ],
)
def test_overdue_rule_in_python_and_in_the_database(
    world, occasion, deadline, status, closed, overdue
):
    today = date(2026, 7, 1)
    assignment = make_assignment(world.city, [world.unit_a], deadline=deadline)
    receiver = assignment.receivers.get()
    if status:
        _save(receiver, occasion, None, status, comment="skäl")
    if closed:
        Assignment.objects.filter(pk=assignment.pk).update(closed_on=date(2026, 6, 1))
    row = rules.with_latest(AssignmentReceiver.objects.filter(pk=receiver.pk)).get()
    assert rules.is_receiver_overdue(row, today) is overdue
    in_db = AssignmentReceiver.objects.filter(pk=receiver.pk)
    assert rules.with_latest(in_db).filter(rules.receiver_overdue_q(today)).exists() is overdue
    flagged = Assignment.objects.filter(rules.overdue_assignments_q(today), pk=assignment.pk)
    assert flagged.exists() is overdue


def test_the_latest_occasion_gives_the_status(world, assignment, occasion, later_occasion):
    receiver = _receiver(assignment, world.unit_a1)
    _save(receiver, later_occasion, None, AssignmentStatus.DONE)
    _save(receiver, occasion, None, AssignmentStatus.ONGOING)
    row = rules.with_latest(AssignmentReceiver.objects.filter(pk=receiver.pk)).get()
    assert row.latest_status == AssignmentStatus.DONE


def test_saving_keeps_receivers_that_reported(world, assignment, occasion):
    _save(_receiver(assignment, world.unit_a1), occasion, None, "ongoing")
    rules.assignment_save(
        assignment=assignment, user=world.admin, receivers=[world.unit_a], version=1
    )
    units = set(assignment.receivers.values_list("unit__name", flat=True))
    assert units == {world.unit_a.name, world.unit_a1.name}  # B had no report: removed


def test_an_assignment_needs_a_receiver(world, assignment):
    with pytest.raises(ValidationError):
        rules.assignment_save(assignment=assignment, user=world.admin, receivers=[], version=1)
