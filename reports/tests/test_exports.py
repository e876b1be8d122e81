"""Spreadsheet exports of a scorecard and of scorecards at a follow-up occasion."""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from core.models import SiteSettings
from core.testing import make_goal, make_scorecard, make_unit
from followup.models import Assessment, FollowUpOccasion, SummaryAnalysis


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertialrapport T1", end_month=4, deadline=date(2026, 5, 15)
    )


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_a_scorecard_exports_its_goals_metrics_targets_values_and_statuses(client, chain):
    wb = workbook(client.get(reverse("scorecard_export", args=[chain.city.pk])))
    assert wb.sheetnames == ["Styrkort", "Mål", "Mätetal"]
    facts = dict(rows(wb["Styrkort"]))
    assert (
        facts["Enhetskod"] == chain.city.unit.code and facts["Beslut"] == "Kommunfullmäktige, § 12"
    )
    [goal] = rows(wb["Mål"])[1:]
    assert goal[2] == chain.top.title and goal[5] == "✔ Uppfyllt"
    head, metric = rows(wb["Mätetal"])
    line = dict(zip(head, metric, strict=True))
    assert line["Mätetal"] == "Energianvändning i kommunala lokaler"
    assert (line["Målvärde"], line["Målvärde (tal)"], line["Tolerans"]) == (
        "max 160,0 kWh/m²",
        160,
        5,
    )
    assert (line["Utfall"], line["Status"], line["mars"], line["april"]) == (
        150,
        "✔ Uppfyllt",
        150,
        None,
    )


def test_a_followup_export_has_assessments_analyses_and_the_summary(client, world, chain, occasion):
    Assessment.objects.create(
        goal=chain.top, occasion=occasion, status="met", suggested="met", analysis="Bra år."
    )
    SummaryAnalysis.objects.create(scorecard=chain.city, occasion=occasion, text="Sammanfattat.")
    url = reverse("followup_export", args=[chain.city.pk, occasion.pk])
    wb = workbook(client.get(url))
    assert wb.sheetnames == ["Uppföljning", "Sammanfattning", "Mål", "Mätetal"]
    assert rows(wb["Sammanfattning"])[1][-1] == "Sammanfattat."
    goal = dict(zip(*rows(wb["Mål"]), strict=True))
    assert (goal["Bedömning"], goal["Analys"]) == ("✔ Uppfyllt", "Bra år.")
    head = rows(wb["Mätetal"])[0]
    # the months up to the occasion's, then the forecast apart (followup.forecast_export)
    assert head[-3] == "april" and "maj" not in head
    assert head[-2:] == ["Prognos helår", "Bedömning av prognosen"]


def test_an_occasion_export_holds_every_scorecard_the_user_may_read(client, world, chain, occasion):
    url = reverse("occasion_export", args=[occasion.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(world.editor)
    units = [r[0] for r in rows(workbook(client.get(url))["Sammanfattning"])[1:]]
    assert units == ["Staden", "Miljöförvaltningen", "Energienheten"]  # not Skola's draft
    client.force_login(world.admin)
    assert len(rows(workbook(client.get(url))["Sammanfattning"])) == 5


def test_the_occasion_export_runs_a_fixed_number_of_queries(
    client, world, chain, occasion, count_queries
):
    client.force_login(world.admin)
    url = reverse("occasion_export", args=[occasion.pk])
    before = count_queries(lambda: client.get(url))
    for i in range(3):
        card = make_scorecard(make_unit(f"Enhet {i}", parent=world.unit_b))
        make_goal(card, f"Mål {i}")
    extra = make_scorecard(world.city, year=2025)  # another year: not in the export
    make_goal(extra, "Förra året")
    make_goal(chain.city, "Ett mål till")
    assert count_queries(lambda: client.get(url)) == before


def test_a_draft_is_404_for_outsiders(client, chain):
    draft = chain.draft.scorecard
    assert client.get(reverse("scorecard_export", args=[draft.pk])).status_code == 404


def test_text_that_looks_like_a_formula_stays_text(client, chain):
    make_goal(chain.city, '=HYPERLINK("http://example.com","klicka")')
    wb = workbook(client.get(reverse("scorecard_export", args=[chain.city.pk])))
    titles = [r[2] for r in rows(wb["Mål"])[1:]]
    assert '\'=HYPERLINK("http://example.com","klicka")' in titles


def test_exporting_a_draft_is_audited_and_a_public_scorecard_is_not(client, world, chain):
    from django.urls import reverse

    from audit.models import AuditEntry

    client.force_login(world.reader)
    client.get(reverse("scorecard_export", args=[chain.draft.scorecard.pk]))
    client.get(reverse("scorecard_export", args=[chain.city.pk]))
    entries = AuditEntry.objects.filter(event="export")
    assert entries.count() == 1
    assert entries.get().details["scorecards"] == [chain.draft.scorecard.pk]


def test_exports_name_the_municipality_set_on_the_setup_pages(client, world, chain, occasion):
    """Not the environment's default (Helsingborgs stad): the name the first-run setup saved."""
    SiteSettings.objects.create(pk=1, name="Exempelby kommun", designation="kommun")
    client.force_login(world.admin)
    card = dict(
        rows(workbook(client.get(reverse("scorecard_export", args=[chain.city.pk])))["Styrkort"])
    )
    url = reverse("followup_export", args=[chain.city.pk, occasion.pk])
    followup = dict(rows(workbook(client.get(url)).worksheets[0]))
    assert card["Kommun"] == followup["Kommun"] == "Exempelby kommun"
    opendata = json.loads(b"".join(client.get(reverse("open_data_json")).streaming_content))
    assert opendata["utgivare"] == "Exempelby kommun"
