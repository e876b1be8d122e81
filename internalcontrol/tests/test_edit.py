"""Editing a plan's settings; removing risks and controls (refused once adopted or reported)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from followup.models import FollowUpOccasion
from internalcontrol.models import Control, ControlPlan, ControlResult, Risk


@pytest.fixture
def plan(world):
    return ControlPlan.objects.create(unit=world.unit_a, year=2026)


@pytest.fixture
def control(plan):
    risk = Risk.objects.create(
        plan=plan, process="Inköp", title="Köp utanför avtal", probability=3, consequence=4
    )
    return Control.objects.create(risk=risk, title="Stickprov", owner="Controller")


@pytest.fixture
def editor(world):
    client = Client()
    client.force_login(world.editor)
    return client


def _edit(client, plan, **data):
    data = {"probability_levels": "4", "consequence_levels": "4", "version": "1"} | data
    return client.post(reverse("control_plan_edit", args=[plan.pk]), data)


def test_an_editor_makes_the_plan_public_and_resizes_its_matrix(plan, editor):
    response = _edit(editor, plan, is_public="on", probability_levels="5")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_public and plan.probability_levels == 5 and plan.version == 2
    assert plan.history.first().history_user.username  # who changed it is kept
    page = editor.get(plan.get_absolute_url()).content.decode()
    assert reverse("control_plan_edit", args=[plan.pk]) in page


def test_a_stale_edit_changes_nothing(plan, editor):
    _edit(editor, plan, is_public="on")
    response = _edit(editor, plan, probability_levels="6")  # still version 1
    assert response.status_code == 200 and "Någon annan har ändrat planen" in response.text
    assert ControlPlan.objects.get().probability_levels == 4


def test_a_smaller_matrix_must_hold_the_risks(plan, control, editor):
    response = _edit(editor, plan, consequence_levels="3")  # the risk has consequence 4
    assert response.status_code == 200 and "hamnar utanför" in response.text
    assert ControlPlan.objects.get().consequence_levels == 4


def test_an_adopted_plans_matrix_is_fixed_but_its_public_setting_is_not(plan, editor):
    ControlPlan.objects.filter(pk=plan.pk).update(decided_on=date(2026, 2, 1), decided_by="MN")
    form = editor.get(reverse("control_plan_edit", args=[plan.pk])).content.decode()
    assert "matrisens storlek kan inte ändras" in form and "disabled" in form
    assert _edit(editor, plan, probability_levels="6", is_public="on").status_code == 302
    plan.refresh_from_db()
    assert plan.is_public and plan.probability_levels == 4


def test_a_reporter_may_not_edit_the_plan(world, plan):
    client = Client()
    client.force_login(world.reporter)
    assert _edit(client, plan, is_public="on").status_code == 403
    assert not ControlPlan.objects.get().is_public


def test_removing_a_risk_asks_first_and_keeps_history(plan, control, editor):
    url = reverse("risk_delete", args=[control.risk_id])
    page = editor.get(url)
    assert page.status_code == 200 and '<form method="post"' in page.text
    assert Risk.objects.exists()  # GET only asks
    assert editor.post(url).status_code == 302
    assert not Risk.objects.exists() and not Control.objects.exists()
    assert Risk.history.filter(history_type="-").get().history_user is not None
    assert Control.history.filter(history_type="-").exists()


def test_removing_a_control(plan, control, editor):
    assert editor.post(reverse("control_delete", args=[control.pk])).status_code == 302
    assert not Control.objects.exists() and Risk.objects.exists()


def test_removal_is_refused_once_adopted_saying_why(plan, control, editor):
    ControlPlan.objects.filter(pk=plan.pk).update(decided_on=date(2026, 2, 1), decided_by="MN")
    for url in (
        reverse("risk_delete", args=[control.risk_id]),
        reverse("control_delete", args=[control.pk]),
    ):
        assert "Planen är fastställd" in editor.get(url).text
        response = editor.post(url)
        assert response.status_code == 409 and "Planen är fastställd" in response.text
    assert Control.objects.exists() and Risk.objects.exists()
    page = editor.get(plan.get_absolute_url()).text
    assert reverse("risk_delete", args=[control.risk_id]) not in page


def test_removal_is_refused_when_results_exist(plan, control, editor):
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline=date(2026, 5, 15)
    )
    ControlResult.objects.create(control=control, occasion=occasion, result="ok")
    for url in (
        reverse("risk_delete", args=[control.risk_id]),
        reverse("control_delete", args=[control.pk]),
    ):
        response = editor.post(url)
        assert response.status_code == 409 and "rapporterade resultat" in response.text
    assert Control.objects.exists() and ControlResult.objects.exists()
