"""Internal control in the occasion workbook, the reminders, the report block and on the pages."""

import io
from datetime import date

import openpyxl
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from followup.models import FollowUpOccasion
from followup.reminders import send_reminders
from internalcontrol import rules
from internalcontrol.exports import report_blocks
from internalcontrol.models import Control, ControlPlan, Risk
from yearreports.document import problems


@pytest.fixture
def setup(world):
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline=date(2026, 5, 15)
    )
    plan = ControlPlan.objects.create(unit=world.unit_a, year=2026)
    risk = Risk.objects.create(
        plan=plan, process="Inköp", title="Köp utanför avtal", probability=4, consequence=4
    )
    control = Control.objects.create(risk=risk, title="Stickprov", owner="Controller")
    return occasion, plan, control


def test_the_workbook_has_an_internal_control_sheet_for_those_who_may_read(world, setup):
    occasion, _plan, control = setup
    rules.result_save(
        control=control, occasion=occasion, user=None, result="ok", comment="Inga fel",
        version=0,
    )  # fmt: skip
    url = reverse("occasion_export", args=[occasion.pk])
    reporter = Client()
    reporter.force_login(world.reporter)
    rows = list(
        openpyxl.load_workbook(io.BytesIO(reporter.get(url).content))["Internkontroll"].iter_rows(
            min_row=2, values_only=True
        )
    )
    assert [(r[6], r[8], r[5]) for r in rows] == [("Stickprov", "Utan anmärkning", "Mycket hög")]
    reader = Client()
    reader.force_login(world.reader)  # unit B: the plan is not public
    sheet = openpyxl.load_workbook(io.BytesIO(reader.get(url).content))["Internkontroll"]
    assert sheet.max_row == 1


def test_reporters_are_reminded_of_controls_without_a_result(world, setup):
    world.reporter.email = "rapportor@example.se"
    world.reporter.save()
    send_reminders(days=30, today=date(2026, 5, 1))
    body = next(m.body for m in mail.outbox if m.to == ["rapportor@example.se"])
    assert "Internkontroll att rapportera – Miljöförvaltningen" in body and "• Stickprov" in body


def test_the_report_block_is_a_valid_table(world, setup):
    occasion, _plan, _control = setup
    blocks = report_blocks(world.unit_a, occasion)
    assert blocks[1]["rows"][0][4] == "Ej rapporterat"
    document = {
        "schema": 1, "language": "sv", "title": "T", "unit": "U", "municipality": "M",
        "occasion": "O", "state": "S", "decision": None, "frozen_at": None,
        "sections": [{"heading": "Internkontroll", "blocks": blocks}],
    }  # fmt: skip
    assert problems(document) == []


def test_the_plan_page_draws_the_matrix_and_the_occasion_page_links_the_result(world, setup):
    occasion, plan, control = setup
    client = Client()
    client.force_login(world.reporter)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "Mycket hög: 1" in body and "<svg" in body
    page = client.get(reverse("occasion_detail", args=[occasion.pk])).content.decode()
    assert reverse("control_result", args=[control.pk, occasion.pk]) in page
