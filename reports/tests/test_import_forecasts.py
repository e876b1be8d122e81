"""The value import's optional "Prognos" column: a full-year forecast per row, written through
``followup.forecasts.forecasts_save`` at the occasion that ends in the row's month."""

from datetime import date
from decimal import Decimal

import pytest

from followup.models import FollowUpOccasion, Forecast, Measurement
from reports import imports
from reports.models import ImportKind, ImportState
from scorecards.models import Source

from .conftest import MONTH_COLUMN, filled, row_of, xlsx_upload

PROGNOS = "S"  # the column after december


@pytest.fixture
def tertial(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline=date(2026, 5, 15)
    )


def _file(card, cells: dict) -> bytes:
    template = imports.values_template(card)
    row = row_of(template, "energi")
    at = {(row, col): value for col, value in cells.items()}
    return filled(template, {(imports.HEADER_ROW, PROGNOS): "Prognos", **at})


def _batch(card, user, data: bytes):
    upload = xlsx_upload(data)
    return imports.batch_create(card=card, kind=ImportKind.VALUES, upload=upload, user=user)


def test_a_prognos_cell_is_saved_at_the_occasion_ending_in_the_rows_month(card, world, tertial):
    months = {MONTH_COLUMN[m]: 150 + m for m in range(1, 5)}
    batch = _batch(card, world.reporter, _file(card, {**months, PROGNOS: "148,5"}))
    plan = imports.Plan.from_json(batch.plan)
    assert not plan.errors
    forecast = [c for c in plan.changes if c.kind == "forecast"]
    assert [(c.month, c.new, c.action) for c in forecast] == [(4, "148.5", imports.NEW)]
    assert "Tertial 1" in forecast[0].period
    assert not Forecast.objects.exists()  # the preview writes nothing
    batch = imports.batch_apply(batch=batch, user=world.reporter)
    assert batch.state == ImportState.APPLIED
    saved = Forecast.objects.get()
    assert (saved.indicator, saved.unit, saved.year, saved.month) == (
        card.energy,
        card.unit,
        2026,
        4,
    )
    assert saved.value == Decimal("148.5") and saved.source == Source.FILE
    assert saved.entered_by == world.reporter
    assert Measurement.objects.filter(indicator=card.energy).count() == 4


def test_a_changed_prognos_keeps_the_stored_comment_and_bumps_the_version(card, world, tertial):
    Forecast.objects.create(
        indicator=card.energy, unit=card.unit, year=2026, month=4, value=170, comment="Kall vår"
    )
    data = _file(card, {MONTH_COLUMN[4]: 160, PROGNOS: 165})
    batch = imports.batch_apply(batch=_batch(card, world.reporter, data), user=world.reporter)
    assert batch.state == ImportState.APPLIED
    saved = Forecast.objects.get()
    assert (saved.value, saved.comment, saved.version) == (165, "Kall vår", 2)


def test_no_occasion_in_the_rows_month_or_a_bad_number_is_a_row_error(card, world, tertial):
    plan = imports.Plan.from_json(
        _batch(card, world.reporter, _file(card, {MONTH_COLUMN[3]: 160, PROGNOS: 150})).plan
    )
    assert [e.column for e in plan.errors] == ["Prognos"]
    assert "slutar i mars" in plan.errors[0].message
    plan = imports.Plan.from_json(
        _batch(card, world.reporter, _file(card, {MONTH_COLUMN[4]: 160, PROGNOS: "mycket"})).plan
    )
    assert "inte ett tal" in plan.errors[0].message
    assert not Forecast.objects.exists()


def test_an_empty_prognos_cell_or_no_column_leaves_forecasts_alone(card, world, tertial):
    Forecast.objects.create(indicator=card.energy, unit=card.unit, year=2026, month=4, value=170)
    data = _file(card, {MONTH_COLUMN[4]: 160})
    imports.batch_apply(batch=_batch(card, world.reporter, data), user=world.reporter)
    template = imports.values_template(card)
    no_column = filled(template, {(row_of(template, "energi"), MONTH_COLUMN[4]): 161})
    batch = _batch(card, world.reporter, no_column)
    assert not [c for c in imports.Plan.from_json(batch.plan).changes if c.kind]
    imports.batch_apply(batch=batch, user=world.reporter)
    assert Forecast.objects.get().value == 170
    assert Measurement.objects.get(indicator=card.energy, month=4).value == 161
