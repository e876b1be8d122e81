"""Importing a control plan's risks from a real .xlsx: preview, row errors, all-or-nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from internalcontrol.imports import COLUMNS
from internalcontrol.models import ControlPlan, Risk
from reports.imports.registers import XLSX


@pytest.fixture
def plan(world):
    return ControlPlan.objects.create(unit=world.unit_a, year=2026)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _xlsx(rows) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(COLUMNS.values()))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("risker.xlsx", out.getvalue(), content_type=XLSX)


def _import(client, plan, rows):
    url = reverse("control_plan_import", args=[plan.pk])
    assert client.post(url, {"fil-file": _xlsx(rows)}).status_code == 302
    return client.get(reverse("control_plan_import_preview", args=[plan.pk]))


def test_template_preview_and_confirm(world, plan):
    client = _client(world.editor)
    template = client.get(reverse("control_plan_import_template", args=[plan.pk]))
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(template.content)).active[2]]
    assert header == list(COLUMNS.values())
    page = _import(client, plan, [["Inköp", "Köp utanför avtal", "Stickprov", 2, 3.0]])
    assert "Köp utanför avtal" in page.content.decode() and not Risk.objects.exists()
    client.post(reverse("control_plan_import_preview", args=[plan.pk]), {"confirm": "1"})
    risk = Risk.objects.get()
    assert (risk.plan, risk.probability, risk.consequence) == (plan, 2, 3)
    assert risk.description == "Stickprov" and risk.history.count() == 1


def test_numbers_outside_the_matrix_and_bad_cells_are_row_errors(world, plan):
    client = _client(world.editor)
    rows = [
        ["Inköp", "Bra rad", "", 1, 1],
        ["Inköp", "Utanför", "", 5, 1],
        ["Inköp", "Inte tal", "", "hög", 2],
        ["", "Ingen process", "", 1, 1],
        ["Inköp", "Jättetal", "", 1e300, 10**30],
    ]
    text = _import(client, plan, rows).content.decode()
    assert "Välj en sannolikhet från 1 till 4." in text
    assert "Inget sparades." in text
    client.post(reverse("control_plan_import_preview", args=[plan.pk]), {"confirm": "1"})
    assert not Risk.objects.exists()


def test_only_editors_of_the_plans_unit(world, plan):
    url = reverse("control_plan_import", args=[plan.pk])
    assert _client(world.reporter).get(url).status_code == 403
    other = ControlPlan.objects.create(unit=world.unit_b, year=2026)
    assert _client(world.editor).get(
        reverse("control_plan_import", args=[other.pk])
    ).status_code in (
        403,
        404,
    )


def test_the_plan_page_links_to_the_import(world, plan):
    page = _client(world.editor).get(plan.get_absolute_url())
    assert reverse("control_plan_import", args=[plan.pk]) in page.content.decode()
