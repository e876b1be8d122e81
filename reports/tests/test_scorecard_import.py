"""Existing scorecards from a workbook: template, preview, all or nothing, access."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.testing import (
    make_goal,
    make_indicator,
    make_perspectives,
    make_programme,
    make_scorecard,
)
from reports import scorecard_import
from scorecards.models import (
    Comparator,
    Direction,
    Goal,
    Indicator,
    Metric,
    Scorecard,
    ScorecardStatus,
    Strategy,
    Target,
)

XLSX = scorecard_import.XLSX
GOAL_HEAD = ["Enhet", "År", "Perspektiv", "Mål", "Beskrivning", "Prioriterat", "Bidrar till"]
STRATEGY_HEAD = ["Enhet", "Mål", "Strategi"]
METRIC_HEAD = [
    "Enhet", "Mål", "Mätetal", "Måttenhet", "Riktning", "Jämförelse", "Målvärde", "Övre gräns", "År"
]  # fmt: skip
MID = "Miljöförvaltningen minskar utsläppen"
LOW = "Energienheten sparar energi"


@pytest.fixture
def city_goal(world):
    make_programme(start_year=2026, end_year=2029)
    make_perspectives()
    card = make_scorecard(world.city, year=2027)
    return make_goal(card, "Kommunen är klimatneutral")


@pytest.fixture
def energy(world):
    return make_indicator(
        "Energianvändning", code="energi", unit="kWh/m²", direction=Direction.LOWER
    )


def sheets(world, energy) -> dict[str, list[list]]:
    """A nämnd and a unit below it, the unit's goal contributing to the nämnd's in the file."""
    a, a1 = world.unit_a.code, world.unit_a1.code
    return {
        "Mål": [
            [a, 2027, "Framtid", MID, "Mindre koldioxid", "ja", "Kommunen är klimatneutral"],
            [a1, 2027, "framtid", LOW, None, "nej", MID],
            [a1, 2027, "Ekonomi", "Energienheten håller budget", None, None, None],
        ],
        "Strategier": [
            [a, MID, "Byta till elbilar"],
            [a1, LOW, "Tilläggsisolera skolorna"],
        ],
        "Mätetal": [
            [a, MID, "energi", None, None, "≤", 160, None, None],
            [a1, LOW, "Andel solel", "%", "högre", "≥", "12,5", None, 2027],
            [a1, LOW, "Energianvändning", None, None, None, None, None, None],
        ],
    }


def workbook(data: dict[str, list[list]], name="styrkort.xlsx") -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    wb.active.title = "Instruktioner"
    heads = {"Mål": GOAL_HEAD, "Strategier": STRATEGY_HEAD, "Mätetal": METRIC_HEAD}
    for title, rows in data.items():
        ws = wb.create_sheet(title)
        ws.append(heads[title])
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), XLSX)


def snapshot() -> tuple:
    return tuple(
        m.objects.count() for m in (Scorecard, Goal, Strategy, Metric, Target, Indicator)
    ) + (Goal.contributes_to.through.objects.count(),)


def upload(client, file):
    return client.post(reverse("scorecard_import_start"), {"fil-file": file})


def test_a_workbook_with_two_units_imports_as_drafts(client, world, city_goal, energy):
    client.force_login(world.editor)  # editor of unit A: A and A1 are theirs
    response = upload(client, workbook(sheets(world, energy)))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("scorecard_import_preview")).content.decode()
    assert "Fel i filen" not in page
    assert MID in page and "Andel solel" in page
    response = client.post(reverse("scorecard_import_preview"), {"confirm": "1"})
    assert response.status_code == 302

    mid_card = Scorecard.objects.get(unit=world.unit_a, year=2027)
    low_card = Scorecard.objects.get(unit=world.unit_a1, year=2027)
    assert mid_card.status == low_card.status == ScorecardStatus.DRAFT
    assert {p.name for p in low_card.perspectives.all()} == {"Framtid", "Ekonomi"}
    mid = Goal.objects.get(scorecard=mid_card, title=MID)
    low = Goal.objects.get(scorecard=low_card, title=LOW)
    assert mid.prioritised and not low.prioritised
    assert mid.description == "Mindre koldioxid"
    assert list(mid.contributes_to.all()) == [city_goal]
    assert list(low.contributes_to.all()) == [mid]
    assert [s.text for s in mid.strategies.all()] == ["Byta till elbilar"]
    target = Target.objects.get(metric__goal=mid)
    assert (target.comparator, target.value, target.year) == (Comparator.LTE, 160, 2027)
    solar = Indicator.objects.get(name="Andel solel")
    assert (solar.unit, solar.direction) == ("%", Direction.HIGHER)
    assert Target.objects.get(metric__indicator=solar).value == pytest.approx(12.5)
    assert Metric.objects.filter(goal=low, indicator=energy, targets__isnull=True).exists()
    assert client.session.get("scorecard_import") is None


def test_one_bad_row_changes_nothing_and_is_named(client, world, city_goal, energy):
    data = sheets(world, energy)
    data["Mätetal"][1][6] = "tolv"  # sheet row 3
    before = snapshot()
    client.force_login(world.editor)
    upload(client, workbook(data))
    page = client.get(reverse("scorecard_import_preview")).content.decode()
    assert "Inget sparades" in page
    assert "Mätetal, Målvärde" in page and '<td class="num">3</td>' in page
    assert "tolv" in page
    client.post(reverse("scorecard_import_preview"), {"confirm": "1"})
    assert snapshot() == before


@pytest.mark.parametrize(
    ("sheet", "index", "cell", "value", "column", "words"),
    [
        ("Mål", 1, 2, "Trygghet", "Mål, Perspektiv", "Okänt perspektiv"),
        ("Mål", 0, 0, "finns-inte", "Mål, Enhet", "finns-inte"),
        ("Mål", 1, 6, "Inget sådant mål", "Mål, Bidrar till", "Inget sådant mål"),
        ("Mål", 2, 1, 2028, "Mål, År", "samma år"),
        ("Mål", 2, 5, "kanske", "Mål, Prioriterat", "ja eller nej"),
        ("Mål", 2, 3, "x" * 301, "Mål, Mål", "300"),
        ("Strategier", 1, 1, "Okänt mål", "Strategier, Mål", "Okänt mål"),
        ("Mätetal", 0, 5, "ungefär", "Mätetal, Jämförelse", "ungefär"),
        ("Mätetal", 1, 4, "bredare", "Mätetal, Mätetal", "bredare"),
        ("Mätetal", 0, 8, 1999, "Mätetal, År", "1999"),
    ],
)
def test_each_kind_of_bad_row_is_refused(
    world, city_goal, energy, sheet, index, cell, value, column, words
):
    data = sheets(world, energy)
    data[sheet][index][cell] = value
    records = scorecard_import.read_workbook(workbook(data))
    before = snapshot()
    with pytest.raises(scorecard_import.ScorecardImportError) as raised:
        scorecard_import.scorecard_apply(records=records, user=world.editor)
    errors = raised.value.plan.errors
    assert [(e.row, e.column) for e in errors if words in e.message] == [(index + 2, column)], (
        errors
    )
    assert snapshot() == before


def test_goal_links_follow_the_chain_rules(world, city_goal, energy):
    """A unit's goal cannot contribute to a goal of a unit that is not above it."""
    other = make_scorecard(world.unit_b, year=2027)
    make_goal(other, "Skolans mål")
    data = sheets(world, energy)
    data["Mål"][0][6] = str(Goal.objects.get(title="Skolans mål").pk)
    plan = scorecard_import.scorecard_plan(
        scorecard_import.read_workbook(workbook(data)), user=world.admin
    )
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Mål, Bidrar till")]
    assert "överordnad" in plan.errors[0].message


def test_a_unit_with_a_scorecard_is_refused_but_an_empty_draft_is_filled(world, city_goal, energy):
    make_goal(make_scorecard(world.unit_a, year=2027), "Redan här")
    records = scorecard_import.read_workbook(workbook(sheets(world, energy)))
    plan = scorecard_import.scorecard_plan(records, user=world.editor)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Mål, Enhet")]
    Scorecard.objects.filter(unit=world.unit_a).delete()
    draft = make_scorecard(world.unit_a, year=2027, status=ScorecardStatus.DRAFT)
    scorecard_import.scorecard_apply(records=records, user=world.editor)
    assert draft.goals.get().title == MID


def test_only_units_the_user_edits(world, city_goal, energy):
    data = sheets(world, energy)
    data["Mål"].append([world.unit_b.code, 2027, "Framtid", "Skolans mål", None, None, None])
    records = scorecard_import.read_workbook(workbook(data))
    plan = scorecard_import.scorecard_plan(records, user=world.editor)
    assert [(e.row, e.column) for e in plan.errors] == [(5, "Mål, Enhet")]
    assert "behörighet" in plan.errors[0].message
    assert not scorecard_import.scorecard_plan(records, user=world.admin).errors


def test_the_template_downloads_and_round_trips(client, world, city_goal, energy):
    client.force_login(world.editor)
    response = client.get(reverse("scorecard_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Instruktioner", "Mål", "Strategier", "Mätetal"]
    assert "Perspektiv" in " ".join(str(c.value) for c in wb["Instruktioner"]["A"])
    for title, rows in sheets(world, energy).items():
        for row in rows:
            wb[title].append(row)
    out = io.BytesIO()
    wb.save(out)
    assert upload(client, SimpleUploadedFile("fylld.xlsx", out.getvalue(), XLSX)).status_code == 302
    client.post(reverse("scorecard_import_preview"), {"confirm": "1"})
    assert Goal.objects.filter(scorecard__year=2027, scorecard__unit=world.unit_a1).count() == 2


def test_the_empty_template_names_what_is_missing(world, city_goal):
    file = SimpleUploadedFile("mall.xlsx", scorecard_import.scorecard_template(), XLSX)
    plan = scorecard_import.scorecard_plan(scorecard_import.read_workbook(file), user=world.admin)
    assert [e.message for e in plan.errors] == ["Bladet ”Mål” innehåller inga mål."]


@pytest.mark.parametrize(
    ("file", "words"),
    [
        (
            SimpleUploadedFile("styrkort.csv", b"Enhet;Mal\na;b\n", "text/csv"),
            "Filtypen stöds inte",
        ),
        (SimpleUploadedFile("styrkort.xlsx", b"inte en arbetsbok", XLSX), "stämmer inte med"),
        (SimpleUploadedFile("styrkort.pdf", b"%PDF-1.4", "application/pdf"), "Filtypen stöds inte"),
    ],
)
def test_a_wrong_file_is_refused_on_the_page(client, world, city_goal, file, words):
    client.force_login(world.editor)
    response = upload(client, file)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert client.session.get("scorecard_import") is None


def test_a_workbook_without_the_goal_sheet_or_header(client, world, city_goal):
    wb = openpyxl.Workbook()
    wb.active.title = "Blad1"
    out = io.BytesIO()
    wb.save(out)
    client.force_login(world.editor)
    page = upload(client, SimpleUploadedFile("x.xlsx", out.getvalue(), XLSX)).content.decode()
    assert "saknar bladet" in page
    bad = workbook({"Mål": [["a", 2027]]})
    wb = openpyxl.load_workbook(io.BytesIO(bad.read()))
    wb["Mål"].delete_rows(1)
    out = io.BytesIO()
    wb.save(out)
    page = upload(client, SimpleUploadedFile("x.xlsx", out.getvalue(), XLSX)).content.decode()
    assert "saknar rubrikraden" in page


@pytest.mark.parametrize("persona", ["reporter", "reader"])
def test_people_who_edit_no_unit_are_refused(client, world, city_goal, energy, persona):
    client.force_login(world.users[persona])
    for name in ("scorecard_import_start", "scorecard_import_template", "scorecard_import_preview"):
        assert client.get(reverse(name)).status_code == 403
    before = snapshot()
    assert upload(client, workbook(sheets(world, energy))).status_code == 403
    assert snapshot() == before


def test_signed_out_visitors_go_to_sign_in(client, db):
    response = client.get(reverse("scorecard_import_start"))
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_a_change_between_preview_and_confirm_is_caught(client, world, city_goal, energy):
    client.force_login(world.editor)
    upload(client, workbook(sheets(world, energy)))
    make_scorecard(world.unit_a1, year=2027)  # someone adopts a card for A1 meanwhile
    make_goal(Scorecard.objects.get(unit=world.unit_a1, year=2027), "Hann före")
    before = snapshot()
    response = client.post(reverse("scorecard_import_preview"), {"confirm": "1"}, follow=True)
    assert "Inget har sparats" in response.content.decode()
    assert snapshot() == before
