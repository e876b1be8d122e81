"""A locked occasion's reports show names as they were at locking (issue #17.6; seen: renaming a
unit rewrote the locked T1 report and its PDF). Real PDFs, real workbooks, the real lock view."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_scorecard,
    make_strategy,
    make_target,
)
from followup.models import FollowUpOccasion, Measurement, OccasionNames
from reports.tests.test_pdf import text_of
from scorecards.models import Frequency

OLD = ("Miljöförvaltningen", "Minskad energianvändning", "Energi i lokaler", "Medborgare")
NEW = ("Klimatförvaltningen", "Halverad energianvändning", "Energianvändning totalt", "Invånare")


@pytest.fixture
def t1(world):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning", perspective=make_perspectives()[0])
    make_strategy(goal, "Styr ventilationen efter närvaro")
    energy = make_indicator("Energi i lokaler", code="energi", frequency=Frequency.MONTHLY)
    make_target(make_metric(goal, energy), 160)
    for month in (1, 2, 3, 4):
        Measurement.objects.create(
            indicator=energy, unit=world.unit_a, year=2026, month=month, value=Decimal(150)
        )
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    occasion.card, occasion.goal, occasion.energy = card, goal, energy
    return occasion


def rename_everything(world, t1):
    world.unit_a.name = NEW[0]
    world.unit_a.save()
    t1.goal.title = NEW[1]
    t1.goal.save()
    t1.energy.name = NEW[2]
    t1.energy.save()
    perspective = t1.goal.perspective
    perspective.name = NEW[3]
    perspective.save()
    t1.goal.strategies.update(text="Ny strategi")


def lock(client, world, t1):
    client.force_login(world.admin)
    assert client.post(reverse("occasion_lock", args=[t1.pk])).status_code == 302


def pdf_text(client, t1) -> str:
    response = client.get(reverse("followup_pdf", args=[t1.card.pk, t1.pk]))
    assert response.status_code == 200
    return text_of(response.content)


def page_text(client, t1) -> str:
    response = client.get(reverse("scorecard_followup", args=[t1.card.pk, t1.pk]))
    assert response.status_code == 200
    return response.content.decode().split("<h1", 1)[1]  # past the breadcrumbs' links


def workbook_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )


def test_renames_after_locking_leave_the_locked_report_and_its_pdf_alone(client, world, t1):
    lock(client, world, t1)
    before = pdf_text(client, t1)
    rename_everything(world, t1)
    after = pdf_text(client, t1)
    assert after == before  # word for word the report as locked
    for name in OLD:
        assert name in after
    page = page_text(client, t1)
    for name in OLD:
        assert name in page
    for name in NEW:
        assert name not in page
        assert name not in after
    for url in (
        reverse("followup_export", args=[t1.card.pk, t1.pk]),
        reverse("occasion_export", args=[t1.pk]),
    ):
        cells = workbook_text(client, url)
        assert OLD[0] in cells and OLD[1] in cells and OLD[2] in cells
        assert NEW[0] not in cells and NEW[1] not in cells and NEW[2] not in cells


def test_an_open_occasion_and_a_reopened_one_show_todays_names(client, world, t1):
    lock(client, world, t1)
    rename_everything(world, t1)
    response = client.post(reverse("occasion_reopen", args=[t1.pk]), {"reason": "Fel i T1."})
    assert response.status_code == 302
    assert not OccasionNames.objects.exists()
    text = pdf_text(client, t1)
    for name in NEW:
        assert name in text
    lock(client, world, t1)  # locked again: today's names are the ones kept
    world.unit_a.name = "Tredje namnet"
    world.unit_a.save()
    assert NEW[0] in pdf_text(client, t1)


def test_the_names_are_taken_for_every_scorecard_of_the_year(client, world, t1):
    other = make_scorecard(world.unit_b)
    make_goal(other, "Ökad måluppfyllelse i skolan")
    lock(client, world, t1)
    names = OccasionNames.objects.get(occasion=t1).names
    assert names["units"] == {
        str(world.unit_a.pk): OLD[0],
        str(world.unit_b.pk): "Skolförvaltningen",
    }
    assert set(names["goals"].values()) == {OLD[1], "Ökad måluppfyllelse i skolan"}
    assert names["indicators"] == {str(t1.energy.pk): [OLD[2], "%"]}
