"""The permission questions that used to be asked elsewhere, pinned where they now live (#14.8):
``scorecard_for``, ``may_import``, ``visible_values_q``, ``may_read_history``, ``may_remove_role``."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.testing import make_goal, make_indicator, make_metric, make_scorecard
from followup.models import Measurement
from organisation import access
from organisation.models import Role, RoleAssignment
from scorecards.models import ScorecardStatus


def fresh(user):
    """The same user without the per-request role cache, as the next request sees them."""
    return type(user).objects.get(pk=user.pk)


def test_scorecard_for_hides_drafts_and_refuses_too_low_a_role(world):
    draft = make_scorecard(world.unit_a, status=ScorecardStatus.DRAFT)
    assert access.scorecard_for(world.reporter, draft.pk) == draft
    assert access.scorecard_for(world.reporter, draft.pk, need=access.REPORT) == draft
    with pytest.raises(PermissionDenied):
        access.scorecard_for(world.reporter, draft.pk, need=access.EDIT)
    with pytest.raises(Http404):  # unit B's reader: the draft does not exist for them
        access.scorecard_for(world.reader, draft.pk)
    with pytest.raises(Http404):
        access.scorecard_for(world.editor, draft.pk + 1000)


def test_scorecard_for_a_public_scorecard(world):
    adopted = make_scorecard(world.unit_a)
    assert access.scorecard_for(AnonymousUser(), adopted.pk) == adopted
    with pytest.raises(PermissionDenied):  # visible, but not theirs to report on
        access.scorecard_for(world.reader, adopted.pk, need=access.REPORT)


def test_may_import_values_as_a_reporter_targets_as_an_editor(world):
    card = make_scorecard(world.unit_a, status=ScorecardStatus.DRAFT)
    assert access.may_import(world.reporter, card, "values")
    assert not access.may_import(world.reporter, card, "targets")
    assert access.may_import(world.editor, card, "targets")
    assert not access.may_import(world.reader, card, "values")
    assert not access.may_import(world.admin, card, "something else")


def test_visible_values_are_own_units_and_those_a_visible_scorecard_shows(world):
    shown = make_indicator("Visas i styrkort")
    hidden = make_indicator("Bara i utkast")
    make_metric(make_goal(make_scorecard(world.unit_b)), shown)  # adopted: public
    draft = make_scorecard(world.unit_b, year=2027, status=ScorecardStatus.DRAFT)
    make_metric(make_goal(draft), hidden)
    values = {
        name: Measurement.objects.create(indicator=ind, unit=unit, year=2026, month=12, value=1)
        for name, ind, unit in [
            ("public", shown, world.unit_b),
            ("draft", hidden, world.unit_b),
            ("own", hidden, world.unit_a1),
        ]
    }

    def seen(user) -> set[str]:
        found = set(
            Measurement.objects.filter(access.visible_values_q(user)).values_list("pk", flat=True)
        )
        return {name for name, m in values.items() if m.pk in found}

    assert seen(AnonymousUser()) == {"public"}
    assert seen(world.editor) == {"public", "own"}  # A1 is below the editor's unit A
    assert seen(world.reader) == {"public", "draft"}  # unit B's own values
    assert seen(world.admin) == {"public", "draft", "own"}


def test_history_is_read_by_roles_on_the_unit_or_above(world):
    assert access.may_read_history(world.reader, world.unit_b)
    assert access.may_read_history(world.editor, world.unit_a1)
    assert not access.may_read_history(world.reader, world.unit_a)
    assert not access.may_read_history(AnonymousUser(), world.unit_a)


def test_the_last_administrator_may_not_remove_their_own_role(world):
    own = RoleAssignment.objects.get(user=world.admin)
    assert not access.may_remove_role(world.admin, own)
    second = RoleAssignment.objects.create(user=world.editor, unit=world.city, role=Role.ADMIN)
    assert access.may_remove_role(fresh(world.admin), own)  # another administrator remains
    assert access.may_remove_role(fresh(world.admin), second)
    reporter_role = RoleAssignment.objects.get(user=world.reporter)
    assert not access.may_remove_role(fresh(world.reader), reporter_role)  # not their unit
