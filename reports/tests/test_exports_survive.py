"""Every export writes whatever is stored: control characters and formulas in every text field.

The text is written straight into the database (as data stored before the rule, or by a path
that skips validation would be), then every export is fetched: the .xlsx exports and import
templates, the PDFs, the open data CSV and JSON, and the pages that show the same text. None may
fail; no written cell may hold a character a spreadsheet cannot, or start a formula.
"""

import csv
import io
import json

import openpyxl
import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat, Left
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core.spreadsheet import FORMULA_STARTS
from core.tests.test_url_permissions import scene  # noqa: F401 - the scene fixture
from core.text import first_forbidden
from followup.models import Action, Assessment, FollowUpOccasion, Measurement, SummaryAnalysis
from organisation.models import OrgUnit
from scorecards.models import (
    Goal,
    GoalProgramme,
    Indicator,
    Perspective,
    Scorecard,
    Strategy,
    Target,
)

POISON = '=HYPERLINK("http://evil.example","x")\x0b\x01|'
SHORT_POISON = "@A\x0b\x01|"
# The free text of every model an export reads (codes and choices are validated as such).
PROSE = {
    OrgUnit: ["name", "short_name", "description"],
    GoalProgramme: ["name", "vision", "description", "decided_by", "paragraph", "diary_number"],
    Perspective: ["name", "description"],
    Scorecard: ["introduction", "decided_by", "paragraph", "diary_number"],
    Goal: ["title", "description"],
    Strategy: ["text"],
    Indicator: ["name", "description", "unit"],
    Target: ["decided_by", "paragraph", "diary_number"],
    Measurement: ["comment"],
    FollowUpOccasion: ["name"],
    Assessment: ["analysis", "forecast", "deviation_comment"],
    SummaryAnalysis: ["text"],
    Action: ["title", "description", "owner", "progress"],
}


@pytest.fixture
def poisoned(scene):  # noqa: F811
    SummaryAnalysis.objects.create(
        scorecard=scene.a.card, occasion=scene.occasion, text="Sammanfattning"
    )
    for model, fields in PROSE.items():
        model.objects.update(**{name: _poisoned(model, name) for name in fields})
    return scene


def _poisoned(model, name: str):
    """The field's value with the poison in front, within its length (PostgreSQL checks it)."""
    size = model._meta.get_field(name).max_length
    if size is None or size > 2 * len(POISON):
        return Concat(Value(POISON), F(name))
    return Concat(Value(SHORT_POISON), Left(F(name), size - len(SHORT_POISON)))


def _client(s) -> Client:
    client = Client()
    client.force_login(s.world.admin)
    return client


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _export_urls(s) -> dict[str, str]:
    card, occasion = s.a.card.pk, s.occasion.pk
    public = s.chain.mid.scorecard_id
    return {
        "scorecard_export": reverse("scorecard_export", args=[card]),
        "scorecard_export#public": reverse("scorecard_export", args=[public]),
        "followup_export": reverse("followup_export", args=[card, occasion]),
        "occasion_export": reverse("occasion_export", args=[occasion]),
        "values_template": reverse("import_template", kwargs={"pk": card, "kind": "utfall"}),
        "targets_template": reverse("import_template", kwargs={"pk": card, "kind": "malvarden"}),
    }


def _check_cell(value, where: str) -> list[str]:
    if not isinstance(value, str):
        return []
    problems = []
    if first_forbidden(value):
        problems.append(f"{where}: {first_forbidden(value)} in {value[:40]!r}")
    if value.startswith(FORMULA_STARTS):
        problems.append(f"{where}: a formula {value[:40]!r}")
    return problems


def test_every_xlsx_export_writes_stored_control_characters_and_formulas_as_text(poisoned):
    client = _client(poisoned)
    problems, seen = [], 0
    for name, url in _export_urls(poisoned).items():
        wb = openpyxl.load_workbook(io.BytesIO(_body(client.get(url))))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    problems += _check_cell(cell.value, f"{name} {ws.title}!{cell.coordinate}")
                    seen += isinstance(cell.value, str) and cell.value.startswith("'=HYPERLINK")
    assert not problems, "\n".join(problems)
    assert seen > 20  # the poisoned text is there, as text


def test_the_open_data_csv_is_formula_safe_and_clean(poisoned):
    text = _body(_client(poisoned).get(reverse("open_data_csv"))).decode()
    rows = list(csv.reader(io.StringIO(text)))
    problems, seen = [], 0
    for number, row in enumerate(rows[1:], 2):
        for name, cell in zip(rows[0], row, strict=True):
            is_number = cell.lstrip("-").replace(".", "", 1).isdigit()
            if not is_number:
                problems += _check_cell(cell, f"row {number} {name}")
            seen += cell.startswith("'=HYPERLINK")
    assert not problems, "\n".join(problems)
    assert seen >= 5


def test_the_open_data_csv_leaves_negative_numbers_as_numbers(poisoned):
    Measurement.objects.update(value=-3.5)
    Target.objects.update(value=-2)
    text = _body(_client(poisoned).get(reverse("open_data_csv"))).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert any(row["malvarde"] == "-2" for row in rows)


def test_the_open_data_json_has_no_control_characters(poisoned):
    data = json.loads(_body(_client(poisoned).get(reverse("open_data_json"))))
    strings = []

    def walk(item):
        if isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)
        elif isinstance(item, str):
            strings.append(item)

    walk(data)
    assert not [s for s in strings if first_forbidden(s)]
    assert any(s.startswith('=HYPERLINK("http://evil.example","x")\n|') for s in strings)


@pytest.mark.parametrize("name", ["scorecard_pdf", "followup_pdf"])
def test_the_pdfs_are_written_without_the_characters(poisoned, name):
    s = poisoned
    args = [s.a.card.pk] if name == "scorecard_pdf" else [s.a.card.pk, s.occasion.pk]
    data = _body(_client(s).get(reverse(name, args=args)))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "HYPERLINK" in text
    assert not first_forbidden(text)


def test_the_pages_that_show_the_text_answer(poisoned):
    s = poisoned
    client = _client(s)
    for url in [
        reverse("home"),
        reverse("scorecard_detail", args=[s.a.card.pk]),
        reverse("scorecard_followup", args=[s.a.card.pk, s.occasion.pk]),
        reverse("metric_trend", args=[s.a.metric.pk]),
        reverse("goal_chain", args=[s.a.goal.pk]),
        reverse("value_entry", args=[s.a.card.pk]) + "?period=2027-10",
        reverse("action_list", args=[s.a.card.pk]),
        reverse("open_data"),
        "/api/v1/goals/",
    ]:
        assert client.get(url).status_code == 200, url
