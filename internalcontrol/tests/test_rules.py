"""Internal control: matrix placement and levels, adopting, results, deviation → action, rights."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.testing import make_goal, make_scorecard
from followup.assessments import StaleVersion
from followup.locking import PeriodLocked
from followup.models import Action, FollowUpOccasion, OccasionUnitLock
from internalcontrol import rules
from internalcontrol.models import Control, ControlPlan, ControlResult, Risk


@pytest.fixture
def plan(world):
    return ControlPlan.objects.create(unit=world.unit_a, year=2026)


@pytest.fixture
def control(plan):
    risk = Risk.objects.create(
        plan=plan, process="Inköp", title="Köp utanför avtal", probability=3, consequence=4
    )
    return Control.objects.create(risk=risk, title="Stickprov på 20 fakturor", owner="Controller")


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline=date(2026, 5, 15)
    )


@pytest.mark.parametrize(
    ("p", "c", "key"),
    [(1, 1, "low"), (2, 2, "low"), (2, 3, "medium"), (4, 2, "medium"), (3, 3, "high"),
     (3, 4, "high"), (4, 4, "very_high"), (1, 4, "low")],
)  # fmt: skip
def test_the_level_of_a_cell_on_the_default_4_by_4_matrix(plan, p, c, key):
    assert rules.level(plan, p, c)[0] == key


def test_a_risk_is_placed_in_its_cell_highest_consequence_first(plan, control):
    Risk.objects.create(plan=plan, process="IT", title="Driftstopp", probability=1, consequence=1)
    rows = rules.matrix(plan, plan.risks.all())
    assert len(rows) == 4 and all(len(row) == 4 for row in rows)
    assert [r.title for r in rows[0][2].risks] == ["Köp utanför avtal"]  # c=4 on top, p=3
    assert [r.title for r in rows[3][0].risks] == ["Driftstopp"]
    assert sum(len(cell.risks) for row in rows for cell in row) == 2


def test_a_configured_matrix_refuses_a_risk_outside_it(world):
    small = ControlPlan.objects.create(
        unit=world.unit_b, year=2026, probability_levels=3, consequence_levels=5
    )
    rules.check_risk(small, 3, 5)
    with pytest.raises(ValidationError):
        rules.check_risk(small, 4, 1)
    assert len(rules.matrix(small, [])) == 5


def test_the_svg_names_the_matrix_and_counts(plan, control):
    svg = rules.matrix_svg(plan, rules.matrix(plan, plan.risks.all()), title="Matris <A>")
    assert '<title id="matris-titel">Matris &lt;A&gt;</title>' in svg
    assert ">1</text>" in svg


def test_a_deviation_creates_an_action_once(world, plan, control, occasion):
    goal = make_goal(make_scorecard(world.unit_a, year=2026))
    saved = rules.result_save(
        control=control, occasion=occasion, user=world.reporter, result="deviation",
        comment="Tre av tjugo fakturor saknade avtal.", version=0,
    )  # fmt: skip
    action = saved.action
    assert action.goal == goal and action.owner == "Controller"
    assert action.title == "Åtgärd efter avvikelse: Stickprov på 20 fakturor"
    again = rules.result_save(
        control=control, occasion=occasion, user=world.reporter, result="deviation",
        comment="Fyra av tjugo.", version=1,
    )  # fmt: skip
    assert again.action_id == action.pk and Action.objects.count() == 1


def test_a_deviation_needs_a_comment_and_a_scorecard(world, control, occasion):
    with pytest.raises(ValidationError):
        rules.result_save(
            control=control, occasion=occasion, user=None, result="deviation", comment="",
            version=0,
        )  # fmt: skip
    with pytest.raises(ValidationError):  # no scorecard of unit A for 2026: no goal
        rules.result_save(
            control=control, occasion=occasion, user=None, result="deviation", comment="x",
            version=0,
        )  # fmt: skip
    assert not ControlResult.objects.exists() and not Action.objects.exists()


def test_results_follow_the_lock_and_the_version(world, control, occasion):
    rules.result_save(
        control=control, occasion=occasion, user=None, result="ok", comment="", version=0
    )
    with pytest.raises(StaleVersion):
        rules.result_save(
            control=control, occasion=occasion, user=None, result="ok", comment="", version=0
        )
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_a)
    with pytest.raises(PeriodLocked):
        rules.result_save(
            control=control, occasion=occasion, user=None, result="ok", comment="", version=1
        )


def test_adopting_needs_a_decision(world, plan):
    with pytest.raises(ValidationError):
        rules.plan_adopt(plan=plan, user=world.admin, data={"decided_by": "MN"}, version=1)
    adopted = rules.plan_adopt(
        plan=plan, user=world.admin,
        data={"decided_by": "Miljönämnden", "decided_on": date(2026, 2, 1)}, version=1,
    )  # fmt: skip
    assert adopted.is_adopted and adopted.history.count() == 2


def test_a_plan_is_not_public_by_default(world, plan):
    url = reverse("control_plan_detail", args=[plan.pk])
    assert Client().get(url).status_code == 404
    reader = Client()
    reader.force_login(world.reader)  # a role in unit B, not A
    assert reader.get(url).status_code == 404
    ControlPlan.objects.filter(pk=plan.pk).update(is_public=True)
    assert Client().get(url).status_code == 200


def test_only_an_administrator_adopts(world, plan, subadmin):
    url = reverse("control_plan_adopt", args=[plan.pk])
    data = {"decided_by": "Miljönämnden", "decided_on": "2026-02-01", "version": "1"}
    editor = Client()
    editor.force_login(world.editor)
    assert editor.post(url, data).status_code == 403
    admin = Client()
    admin.force_login(subadmin)  # administrator of unit A
    assert admin.post(url, data).status_code == 302
    assert ControlPlan.objects.get().is_adopted


def test_the_demo_has_two_plans_across_the_matrix_and_a_deviation_with_its_action(db):
    from demo.tests.test_demo import load_demo

    load_demo()
    plans = ControlPlan.objects.filter(year=2026)
    assert plans.count() == 2 and all(p.is_adopted for p in plans)
    cells = set(Risk.objects.values_list("probability", "consequence"))
    assert len(cells) >= 8  # spread over the matrix
    levels = {rules.level(plans[0], p, c)[0] for p, c in cells}
    assert levels == {"low", "medium", "high", "very_high"}
    deviation = ControlResult.objects.get(result="deviation")
    assert deviation.action.title.startswith("Åtgärd efter avvikelse")
    assert ControlResult.objects.filter(occasion__end_month=4).exists()
