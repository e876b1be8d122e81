"""The workbook: its sheets and columns, the template, and reading an upload into rows."""

import io
import re

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.uploads import validate_upload
from reports.imports import read_rows
from scorecards.models import (
    Comparator,
    Direction,
    Perspective,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HELP_SHEET, GOALS, STRATEGIES, METRICS = "Instruktioner", "Mål", "Strategier", "Mätetal"
YEAR_MIN, YEAR_MAX = 2000, 2100

# Each sheet's columns: the header word (lower case) → the field it fills. The first name is the
# template's header.
COLUMNS = {
    GOALS: {
        "enhet": "unit",
        "år": "year",
        "perspektiv": "perspective",
        "mål": "title",
        "beskrivning": "description",
        "prioriterat": "prioritised",
        "bidrar till": "links",
    },
    STRATEGIES: {"enhet": "unit", "mål": "goal", "strategi": "text"},
    METRICS: {
        "enhet": "unit",
        "mål": "goal",
        "mätetal": "indicator",
        "måttenhet": "measure",
        "riktning": "direction",
        "jämförelse": "comparator",
        "målvärde": "value",
        "övre gräns": "value_high",
        "år": "year",
    },
}
REQUIRED = {
    GOALS: {"unit", "perspective", "title"},
    STRATEGIES: {"unit", "goal", "text"},
    METRICS: {"unit", "goal", "indicator"},
}
YES = {"ja", "j", "x", "1", "true", "yes", "sant"}
NO = {"", "nej", "n", "0", "false", "no", "falskt"}
DIRECTIONS = {
    "": Direction.HIGHER,
    "högre": Direction.HIGHER,
    "högre är bättre": Direction.HIGHER,
    "lägre": Direction.LOWER,
    "lägre är bättre": Direction.LOWER,
    "intervall": Direction.RANGE,
    "inom ett intervall": Direction.RANGE,
} | {d.value: d.value for d in Direction}
COMPARATORS = {
    "≤": Comparator.LTE, "<=": Comparator.LTE, "högst": Comparator.LTE, "max": Comparator.LTE,
    "≥": Comparator.GTE, ">=": Comparator.GTE, "minst": Comparator.GTE, "min": Comparator.GTE,
    "=": Comparator.EQ, "lika med": Comparator.EQ, "exakt": Comparator.EQ,
    "intervall": Comparator.RANGE, "mellan": Comparator.RANGE,
} | {c.value: c.value for c in Comparator}  # fmt: skip


def _text(cell) -> str:
    return "" if cell is None else re.sub(r"[ \t]+", " ", str(cell)).strip()


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


# --- template -------------------------------------------------------------------------------

HELP = (  # translated when the template is written, in the downloader's language
    gettext_noop(
        "Importera befintliga styrkort: ett år, en eller flera enheter. Fyll i bladen Mål, "
        "Strategier och Mätetal; rubrikraden ska stå kvar. Styrkorten skapas som utkast."
    ),
    gettext_noop(
        "Mål: Enhet är enhetens kod. År är styrkortets år (samma år på alla rader). Perspektiv "
        "ska finnas redan (samma namn). Prioriterat: ja eller nej. Bidrar till: titeln (eller id) "
        "på ett mål hos en överordnad enhet samma år, i filen eller i systemet; flera mål på egna "
        "rader i cellen."
    ),
    gettext_noop(
        "Strategier: Enhet och Mål pekar ut målet på bladet Mål (samma titel); Strategi är texten."
    ),
    gettext_noop(
        "Mätetal: Enhet och Mål pekar ut målet. Mätetal är ett befintligt mätetals kod eller namn; "
        "ett okänt namn skapar ett nytt mätetal med Måttenhet och Riktning (högre, lägre, "
        "intervall). Jämförelse ≤, ≥, = eller intervall, Målvärde och (för intervall) Övre gräns "
        "ger målvärdet för År (tomt: styrkortets år). Lämna Jämförelse tom för mätetal utan "
        "målvärde."
    ),
    gettext_noop(
        "Innehåller en rad ett fel sparas ingenting, och felet visas med blad och radnummer."
    ),
)


def scorecard_template() -> bytes:
    """An empty workbook to fill in: an instruction sheet, then the three sheets with headers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = HELP_SHEET
    ws["A1"] = _("Styrkort från fil")
    ws["A1"].font = Font(bold=True, size=14)
    for number, text in enumerate(HELP, 3):
        ws.cell(row=number, column=1, value=_(text)).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 110
    for sheet, columns in COLUMNS.items():
        _sheet(wb, sheet, list(columns))
    perspectives = [p.name for p in Perspective.objects.filter(active=True)]
    _choices(wb[GOALS], "C2:C5000", perspectives)
    _choices(wb[GOALS], "F2:F5000", ["ja", "nej"])
    _choices(wb[METRICS], "E2:E5000", ["högre", "lägre", "intervall"])
    _choices(wb[METRICS], "F2:F5000", ["≤", "≥", "=", "intervall"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(wb, title: str, heads: list[str]) -> None:
    ws = wb.create_sheet(title)
    for col, head in enumerate(heads, 1):
        ws.cell(row=1, column=col, value=head.capitalize()).font = Font(bold=True)
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = 24
    ws.freeze_panes = "A2"


def _choices(ws, cells: str, words: list[str]) -> None:
    # Excel caps a list validation at 255 characters; longer lists are checked on upload only.
    formula = '"' + ",".join(w.replace('"', "") for w in words) + '"'
    if words and len(formula) <= 255:
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        ws.add_data_validation(check)
        check.add(cells)


# --- reading --------------------------------------------------------------------------------


def read_workbook(upload) -> dict[str, list[dict]]:
    """Each sheet's rows as dicts (``row`` plus the fields of ``COLUMNS``).

    ``ValidationError`` in Swedish for a file of the wrong type, unreadable, without the sheet
    ``Mål`` or with a sheet missing its header row. Only .xlsx: one workbook holds three sheets.
    """
    validate_upload(upload, kinds=("xlsx",), max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES)
    name = getattr(upload, "name", "") or "styrkort.xlsx"
    data = upload.read()
    # The value import's reader checks size, zip bombs, control characters and readability.
    goal_rows = read_rows(SimpleUploadedFile(name, data, XLSX), sheet=GOALS)
    sheets = _sheet_names(data)
    if GOALS not in sheets:
        raise ValidationError(_("Arbetsboken saknar bladet ”Mål”. Utgå från mallen."))
    found = {GOALS: _records(GOALS, goal_rows)}
    for sheet in (STRATEGIES, METRICS):
        rows = (
            read_rows(SimpleUploadedFile(name, data, XLSX), sheet=sheet) if sheet in sheets else []
        )
        found[sheet] = _records(sheet, rows) if rows else []
    return found


def _sheet_names(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _records(sheet: str, rows: list[tuple[int, list]]) -> list[dict]:
    words = COLUMNS[sheet]
    for index, (_number, cells) in enumerate(rows[:10]):
        columns = {}
        for i, cell in enumerate(cells):
            name = words.get(_key(_text(cell)))
            if name and name not in columns:
                columns[name] = i
        if REQUIRED[sheet] <= columns.keys():
            return [_record(number, cells, columns) for number, cells in rows[index + 1 :]]
    heads = ", ".join(h.capitalize() for h, f in words.items() if f in REQUIRED[sheet])
    raise ValidationError(
        _("Bladet ”%(sheet)s” saknar rubrikraden (%(heads)s). Utgå från mallen.")
        % {"sheet": sheet, "heads": heads}
    )


def _record(number: int, cells: list, columns: dict) -> dict:
    record = {"row": number}
    for name, i in columns.items():
        cell = cells[i] if i < len(cells) else None
        # Kept between preview and confirmation as JSON: numbers stay numbers, the rest text.
        record[name] = cell if isinstance(cell, int | float | type(None)) else str(cell)
    return record
