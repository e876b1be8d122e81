"""A scorecard with a monthly and a yearly indicator, and helpers to fill in its templates."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from reports import imports
from scorecards.models import Comparator, Direction, Frequency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def card(world):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning")
    energy = make_indicator(
        "Energi",
        code="energi",
        unit="kWh/m²",
        frequency=Frequency.MONTHLY,
        direction=Direction.LOWER,
        plausible_min=0,
        plausible_max=500,
    )
    make_target(make_metric(goal, energy), 160, comparator=Comparator.LTE, tolerance=5)
    yearly = make_indicator("Nöjdhet", code="nojdhet", frequency=Frequency.YEARLY)
    make_target(make_metric(goal, yearly), 80)
    card.energy, card.yearly = energy, yearly
    return card


def xlsx_upload(data: bytes, name: str = "fil.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def csv_upload(text: str, *, encoding="utf-8-sig", name="fil.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def filled(template: bytes, cells: dict[tuple[int, str], object]) -> bytes:
    """The template with ``cells`` ({(row, column letter): value}) changed."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb.active
    for (row, col), value in cells.items():
        ws[f"{col}{row}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_of(template: bytes, code: str) -> int:
    ws = openpyxl.load_workbook(io.BytesIO(template)).active
    for row in ws.iter_rows(min_row=imports.HEADER_ROW + 1):
        if row[1].value == code:
            return row[0].row
    raise LookupError(code)


# Month columns of the values template: G = januari … R = december.
MONTH_COLUMN = {m: chr(ord("G") + m - 1) for m in range(1, 13)}
