"""A follow-up occasion and an assignment from the city to unit A1 and unit B."""

from datetime import date

import pytest

from assignments.models import Assignment, AssignmentReceiver
from followup.models import FollowUpOccasion


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline=date(2026, 5, 15)
    )


@pytest.fixture
def later_occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="interim", name="Delår", end_month=8, deadline=date(2026, 9, 15)
    )


def make_assignment(issuer, receivers, **kw) -> Assignment:
    kw.setdefault("title", "Utreda laddplatser")
    kw.setdefault("text", "Nämnden får i uppdrag att utreda fler laddplatser.")
    assignment = Assignment.objects.create(issuer=issuer, **kw)
    for unit in receivers:
        AssignmentReceiver.objects.create(assignment=assignment, unit=unit)
    return assignment


@pytest.fixture
def assignment(world):
    """Decided by fullmäktige (public), to Energienheten (below unit A) and Skolförvaltningen."""
    return make_assignment(
        world.city,
        [world.unit_a1, world.unit_b],
        decided_by="Kommunfullmäktige",
        decided_on=date(2026, 1, 30),
        paragraph="12",
        diary_number="KS 2026/12",
        deadline=date(2026, 6, 30),
    )
