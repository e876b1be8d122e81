"""Importing targets: one row per metric, validated by the edit page's form, all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest

from reports import imports
from reports.imports import Plan
from reports.models import ImportKind, ImportState
from scorecards.models import Comparator, Target

from .conftest import filled, xlsx_upload

# Columns of the targets template: H jämförelse, I målvärde, J övre gräns, K tolerans.


def create(card, user, data):
    return imports.batch_create(
        card=card, kind=ImportKind.TARGETS, upload=xlsx_upload(data, "malvarden.xlsx"), user=user
    )


def row_of(template: bytes, code: str) -> int:
    ws = openpyxl.load_workbook(io.BytesIO(template)).active
    return next(r[0].row for r in ws.iter_rows(min_row=6) if r[1].value == code)


def target(card, code, year=None):
    return Target.objects.filter(
        metric__goal__scorecard=card, metric__indicator__code=code, year=year or card.year
    ).first()


def test_the_template_has_a_row_per_metric_with_the_current_target(card):
    template = imports.targets_template(card, card.year)
    ws = openpyxl.load_workbook(io.BytesIO(template)).active
    assert ws.title == "Målvärden" and ws.column_dimensions["A"].hidden
    row = ws[row_of(template, "energi")]
    assert [c.value for c in row[7:11]] == ["högst", 160, None, 5]
    assert row[3].value == "Minskad energianvändning"


def test_it_plans_and_applies_new_changed_and_removed_targets(card, world):
    template = imports.targets_template(card, card.year)
    energy, yearly = row_of(template, "energi"), row_of(template, "nojdhet")
    data = filled(
        template,
        {
            (energy, "H"): "intervall", (energy, "I"): "140", (energy, "J"): "155,5",
            (energy, "K"): 2, (yearly, "H"): None, (yearly, "I"): None, (yearly, "K"): None,
        },
    )  # fmt: skip
    batch = create(card, world.editor, data)
    assert batch.plan["counts"] == {"new": 0, "changed": 1, "removed": 1, "unchanged": 0}
    changed = next(c for c in Plan.from_json(batch.plan).changes if c.action == "changed")
    assert (changed.old_text, changed.new_text) == ("max 160,0 kWh/m²", "140,0–155,5 kWh/m²")
    assert imports.batch_apply(batch=batch, user=world.editor).state == ImportState.APPLIED
    saved = target(card, "energi")
    assert (saved.comparator, saved.value, saved.value_high, saved.tolerance) == (
        Comparator.RANGE, Decimal(140), Decimal("155.5"), Decimal(2),
    )  # fmt: skip
    assert target(card, "nojdhet") is None


def test_the_decision_behind_a_target_is_kept(card, world):
    existing = target(card, "energi")
    existing.decided_by, existing.paragraph = "Miljönämnden", "12"
    existing.save()
    template = imports.targets_template(card, card.year)
    batch = create(card, world.editor, filled(template, {(row_of(template, "energi"), "I"): 150}))
    imports.batch_apply(batch=batch, user=world.editor)
    saved = target(card, "energi")
    assert (saved.value, saved.decided_by, saved.paragraph) == (150, "Miljönämnden", "12")


def test_targets_for_a_later_year_are_new(card, world):
    template = imports.targets_template(card, card.year + 1)
    row = row_of(template, "energi")
    data = filled(template, {(row, "H"): "≤", (row, "I"): 150})
    batch = create(card, world.editor, data)
    assert batch.year == card.year + 1 and batch.plan["counts"]["new"] == 1
    imports.batch_apply(batch=batch, user=world.editor)
    assert target(card, "energi", card.year + 1).value == 150
    assert target(card, "energi").value == 160


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"H": "ungefär"}, "Okänd jämförelse ”ungefär”"),
        ({"H": None}, "Ange jämförelse"),
        ({"H": "intervall", "J": None}, "Ett intervall behöver en övre gräns."),
        ({"I": "mycket"}, "”mycket” är inte ett tal."),
        ({"K": -1}, "Toleransen kan inte vara negativ."),
    ],
)
def test_a_bad_row_is_an_error_and_nothing_is_saved(card, world, cells, expected):
    template = imports.targets_template(card, card.year)
    row = row_of(template, "energi")
    batch = create(card, world.editor, filled(template, {(row, c): v for c, v in cells.items()}))
    [error] = batch.plan["errors"]
    assert error["row"] == row and expected in error["message"]
    with pytest.raises(imports.NotApplicable):
        imports.batch_apply(batch=batch, user=world.editor)
    assert target(card, "energi").value == 160


def test_a_target_changed_after_the_preview_fails_the_whole_import(card, world):
    template = imports.targets_template(card, card.year)
    data = filled(
        template,
        {(row_of(template, "energi"), "I"): 150, (row_of(template, "nojdhet"), "I"): 85},
    )
    batch = create(card, world.editor, data)
    existing = target(card, "energi")
    existing.value = 155
    existing.save()
    batch = imports.batch_apply(batch=batch, user=world.editor)
    assert batch.state == ImportState.FAILED
    assert target(card, "nojdhet").value == 80  # the other row is not saved either


def test_a_template_downloaded_in_english_reads_back_unchanged(card, world):
    from django.utils import translation

    with translation.override("en"):
        template = imports.targets_template(card, card.year)
        batch = create(card, world.editor, template)
    assert batch.plan["errors"] == []
    assert batch.plan["counts"]["changed"] == batch.plan["counts"]["removed"] == 0
