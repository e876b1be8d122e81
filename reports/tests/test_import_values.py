"""Importing actual values: template, preview plan, all-or-nothing apply through measurements_save."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.testing import make_scorecard
from followup.models import FollowUpOccasion, Measurement
from reports import imports
from reports.imports import Plan
from reports.models import ImportKind, ImportState
from scorecards.models import Source

from .conftest import MONTH_COLUMN, csv_upload, filled, row_of, xlsx_upload

M = MONTH_COLUMN


def create(card, user, data, name="utfall.xlsx"):
    upload = xlsx_upload(data, name) if isinstance(data, bytes) else data
    return imports.batch_create(card=card, kind=ImportKind.VALUES, upload=upload, user=user)


def value(card, indicator, month):
    m = Measurement.objects.filter(
        indicator=indicator, unit=card.unit, year=card.year, month=month
    ).first()
    return m.value if m else None


def store(card, indicator, month, number):
    return Measurement.objects.create(
        indicator=indicator, unit=card.unit, year=card.year, month=month, value=Decimal(number)
    )


def test_the_template_has_a_row_per_indicator_with_hidden_locked_ids(card):
    store(card, card.energy, 3, "150")
    ws = openpyxl.load_workbook(io.BytesIO(imports.values_template(card))).active
    assert ws.title == "Utfall"
    assert ws.column_dimensions["A"].hidden and ws.protection.sheet
    header = [c.value for c in ws[imports.HEADER_ROW]]
    assert header[:3] == ["id", "Kod", "Mätetal"] and header[6] == "januari"
    energy = ws[imports.HEADER_ROW + 1]
    assert [energy[0].value, energy[1].value, energy[3].value] == [
        card.energy.pk,
        "energi",
        "kWh/m²",
    ]
    assert energy[5].value == "max 160,0 kWh/m²"
    assert energy[8].value == 150  # March is filled in
    assert energy[0].protection.locked and not energy[8].protection.locked


def test_months_an_indicator_is_not_reported_in_are_locked(card):
    ws = openpyxl.load_workbook(io.BytesIO(imports.values_template(card))).active
    yearly = ws[row_of(imports.values_template(card), "nojdhet")]
    assert yearly[6].protection.locked and not yearly[17].protection.locked


def test_it_plans_new_changed_removed_and_unchanged_without_writing(card, world):
    for month, number in [(1, "150"), (2, "151"), (3, "152")]:
        store(card, card.energy, month, number)
    template = imports.values_template(card)
    row = row_of(template, "energi")
    data = filled(template, {(row, M[2]): 155, (row, M[3]): None, (row, M[4]): "148,5"})
    batch = create(card, world.reporter, data)
    counts = batch.plan["counts"]
    assert counts == {"new": 1, "changed": 1, "removed": 1, "unchanged": 1}
    changed = next(c for c in Plan.from_json(batch.plan).changes if c.action == "changed")
    assert (changed.period, changed.old_text, changed.new_text) == (
        "februari",
        "151,0\u00a0kWh/m²",
        "155,0\u00a0kWh/m²",
    )
    assert value(card, card.energy, 2) == 151 and value(card, card.energy, 4) is None


def test_confirming_saves_all_through_measurements_save_as_file_import(card, world):
    store(card, card.energy, 1, "150")
    template = imports.values_template(card)
    row = row_of(template, "energi")
    batch = create(card, world.reporter, filled(template, {(row, M[1]): 149, (row, M[2]): 148.25}))
    batch = imports.batch_apply(batch=batch, user=world.reporter)
    assert batch.state == ImportState.APPLIED
    assert batch.plan["result"] == {"created": 1, "updated": 1, "deleted": 0}
    saved = Measurement.objects.get(indicator=card.energy, month=2)
    assert saved.value == Decimal("148.25") and saved.source == Source.FILE
    assert saved.entered_by == world.reporter
    assert Measurement.objects.get(indicator=card.energy, month=1).source == Source.FILE


def test_a_comment_on_a_stored_value_is_kept(card, world):
    m = store(card, card.energy, 1, "150")
    m.comment = "Mätaren byttes"
    m.save()
    template = imports.values_template(card)
    batch = create(
        card, world.reporter, filled(template, {(row_of(template, "energi"), M[1]): 151})
    )
    imports.batch_apply(batch=batch, user=world.reporter)
    assert Measurement.objects.get(pk=m.pk).comment == "Mätaren byttes"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("abc", "”abc” är inte ett tal."),
        (900, "ligger utanför det rimliga intervallet"),
        (-5, "ligger utanför det rimliga intervallet"),
    ],
)
def test_it_reports_a_bad_value_in_swedish_with_row_and_month(card, world, cell, expected):
    template = imports.values_template(card)
    row = row_of(template, "energi")
    batch = create(card, world.reporter, filled(template, {(row, M[5]): cell}))
    [error] = batch.plan["errors"]
    assert (error["row"], error["column"]) == (row, "maj")
    assert expected in error["message"]


def test_a_file_with_any_error_changes_nothing(card, world):
    template = imports.values_template(card)
    row = row_of(template, "energi")
    batch = create(card, world.reporter, filled(template, {(row, M[1]): 150, (row, M[2]): 9999}))
    assert batch.plan["counts"]["new"] == 1 and len(batch.plan["errors"]) == 1
    with pytest.raises(ValidationError):
        imports.batch_apply(batch=batch, user=world.reporter)
    assert not Measurement.objects.exists()


def test_unknown_and_duplicate_rows_are_errors(card, world):
    template = imports.values_template(card)
    row = row_of(template, "energi")
    last = row + 2
    data = filled(
        template,
        {(last, "A"): 99999, (last, M[1]): 1, (last + 1, "A"): card.energy.pk, (last + 1, M[1]): 2},
    )
    messages = [e["message"] for e in create(card, world.reporter, data).plan["errors"]]
    assert any("Okänt mätetal (id 99999)" in m for m in messages)
    assert any(f"finns redan på rad {row}" in m for m in messages)


def test_a_value_in_a_month_the_indicator_is_not_reported_in_is_an_error(card, world):
    template = imports.values_template(card)
    batch = create(
        card, world.reporter, filled(template, {(row_of(template, "nojdhet"), M[3]): 80})
    )
    [error] = batch.plan["errors"]
    assert "rapporteras inte för mars" in error["message"]


def test_a_locked_period_is_an_error(card, world):
    FollowUpOccasion.objects.create(
        year=card.year, kind="tertial", name="T1", end_month=4,
        deadline=timezone.now().date(), locked_at=timezone.now(),
    )  # fmt: skip
    template = imports.values_template(card)
    batch = create(
        card, world.reporter, filled(template, {(row_of(template, "energi"), M[2]): 150})
    )
    [error] = batch.plan["errors"]
    assert "låst" in error["message"]


def test_a_period_locked_after_the_preview_fails_the_whole_import(card, world):
    template = imports.values_template(card)
    row = row_of(template, "energi")
    batch = create(card, world.reporter, filled(template, {(row, M[2]): 150, (row, M[6]): 151}))
    FollowUpOccasion.objects.create(
        year=card.year, kind="tertial", name="T1", end_month=4,
        deadline=timezone.now().date(), locked_at=timezone.now(),
    )  # fmt: skip
    batch = imports.batch_apply(batch=batch, user=world.reporter)
    assert batch.state == ImportState.FAILED
    assert "låst" in batch.plan["errors"][0]["message"]
    assert not Measurement.objects.exists()  # June was fine, but nothing is saved


def test_a_period_locked_while_the_import_writes_fails_the_whole_import(card, world, monkeypatch):
    """Months after the first reuse the locks read for it; before committing, the import checks
    they still hold, so a period locked in between is never written into."""
    template = imports.values_template(card)
    row = row_of(template, "energi")
    batch = create(card, world.reporter, filled(template, {(row, M[2]): 150, (row, M[3]): 151}))
    save = imports.values.measurements_save

    def save_then_lock(**kwargs):
        result = save(**kwargs)
        if kwargs["month"] == 2:  # an administrator locks T1 once February is written
            FollowUpOccasion.objects.create(
                year=card.year, kind="tertial", name="T1", end_month=4,
                deadline=timezone.now().date(), locked_at=timezone.now(),
            )  # fmt: skip
        return result

    monkeypatch.setattr(imports.values, "measurements_save", save_then_lock)
    batch = imports.batch_apply(batch=batch, user=world.reporter)
    assert batch.state == ImportState.FAILED
    assert "låstes medan värdena sparades" in batch.plan["errors"][0]["message"]
    assert not Measurement.objects.exists()


def test_a_value_changed_by_someone_else_after_the_preview_is_a_conflict(card, world):
    stored = store(card, card.energy, 1, "150")
    template = imports.values_template(card)
    batch = create(
        card, world.reporter, filled(template, {(row_of(template, "energi"), M[1]): 160})
    )
    stored.value, stored.version = Decimal(170), 2
    stored.save()
    batch = imports.batch_apply(batch=batch, user=world.reporter)
    assert batch.state == ImportState.FAILED
    assert "Någon annan har ändrat värdet" in batch.plan["errors"][0]["message"]
    assert value(card, card.energy, 1) == 170


def test_a_batch_is_applied_once(card, world):
    template = imports.values_template(card)
    batch = create(card, world.reporter, filled(template, {(row_of(template, "energi"), M[1]): 1}))
    imports.batch_apply(batch=batch, user=world.reporter)
    with pytest.raises(imports.NotApplicable):
        imports.batch_apply(batch=batch, user=world.reporter)


def test_a_template_of_another_scorecard_is_refused(card, world):
    other = make_scorecard(world.unit_a, year=card.year + 1)
    batch = create(other, world.reporter, imports.values_template(card))
    assert any("annat styrkort" in e["message"] for e in batch.plan["errors"])


def test_csv_as_swedish_excel_writes_it_in_windows_1252(card, world):
    text = (
        "Utfall 2026 – Miljöförvaltningen;;;\r\n"
        f"id;Kod;Mätetal;januari;februari\r\n"
        f"{card.energy.pk};energi;Energi;1 234,5;\r\n"
    )
    card.energy.plausible_max = 5000
    card.energy.save()
    batch = create(card, world.reporter, csv_upload(text, encoding="cp1252"), name="utfall.csv")
    [change] = Plan.from_json(batch.plan).changes
    assert (change.month, change.new) == (1, "1234.5")


def test_csv_utf8_with_bom_matched_by_code_and_month_abbreviations(card, world):
    text = "kod;jan;dec\nENERGI;150,5;\nnojdhet;;81\n"
    batch = create(card, world.reporter, csv_upload(text), name="utfall.csv")
    assert not batch.plan["errors"]
    assert batch.plan["counts"]["new"] == 2


def test_a_file_without_the_header_row_is_refused(card, world):
    with pytest.raises(ValidationError, match="rubrikraden"):
        create(card, world.reporter, csv_upload("a;b\n1;2\n"), name="x.csv")


def test_a_file_that_is_not_a_spreadsheet_is_refused(card, world):
    with pytest.raises(ValidationError):
        create(card, world.reporter, xlsx_upload(b"not a zip at all"))


def _as_excel_csv(template: bytes, changes: dict[tuple[int, int], object] | None = None) -> str:
    """The template the way Swedish Excel saves it as "CSV (semikolonavgränsad)"."""
    ws = openpyxl.load_workbook(io.BytesIO(template)).active
    lines = []
    for row in ws.iter_rows():
        cells = []
        for cell in row:
            value = (changes or {}).get((cell.row, cell.column), cell.value)
            if isinstance(value, int):
                value = str(value)
            elif isinstance(value, float | Decimal):
                value = f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
            text = "" if value is None else str(value)
            cells.append(f'"{text}"' if any(c in text for c in ';"\n') else text)
        lines.append(";".join(cells))
    return "\r\n".join(lines) + "\r\n"


def test_the_template_saved_as_csv_round_trips(card, world):
    store(card, card.energy, 1, "1234.5")
    card.energy.plausible_max = 5000
    card.energy.save()
    template = imports.values_template(card)
    unchanged = create(
        card, world.reporter, csv_upload(_as_excel_csv(template), encoding="cp1252"), name="u.csv"
    )
    assert unchanged.plan["counts"] == {"new": 0, "changed": 0, "removed": 0, "unchanged": 1}
    row = row_of(template, "energi")
    text = _as_excel_csv(template, {(row, 7): 1300, (row, 8): 1250})
    batch = create(card, world.reporter, csv_upload(text, encoding="cp1252"), name="u.csv")
    assert not batch.plan["errors"]
    assert batch.plan["counts"] == {"new": 1, "changed": 1, "removed": 0, "unchanged": 0}
