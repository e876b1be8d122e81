"""Registers from a spreadsheet (assignments, a control plan's risks): template and reading.

The apps that own the registers plan and apply the rows through their own forms and rules
(``assignments.imports``, ``internalcontrol.imports``); this module only writes the template
workbook and reads an upload into plain records, one dict of text per row, which the session can
keep between the preview and the confirm. Every cell passes ``cells.read_rows``: size, type and
the control-character check of ``core.text``.
"""

from datetime import date, datetime

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from .cells import _norm, read_rows
from .plan import HEAD_FILL
from .templates import _save

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_template(*, sheet: str, help_text: str, columns: dict[str, str]) -> bytes:
    """A workbook with a help row and the header row (``columns``' values) to fill in below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = help_text
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 60
    for col, name in enumerate(columns.values(), 1):
        cell = ws.cell(row=2, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        ws.column_dimensions[cell.column_letter].width = 24
    ws.freeze_panes = "A3"
    return _save(wb)


def _as_text(cell) -> str:
    """A cell as the text a form field reads: dates as ISO, whole numbers without ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_register(upload, *, sheet: str, columns: dict[str, str]) -> list[dict]:
    """The upload's rows below its header as ``{"row": number, key: text, …}``.

    ``columns`` maps each key to its header word; the header row is the first row naming the
    first column. A missing column raises ``ValidationError`` in Swedish naming it.
    """
    rows = read_rows(upload, sheet=sheet)
    first = next(iter(columns.values()))
    at = next((i for i, (_n, cells) in enumerate(rows) if first in map(_norm, cells)), None)
    if at is None:
        raise ValidationError(
            _("Filen saknar rubrikraden (%(columns)s). Utgå från mallen.")
            % {"columns": ", ".join(columns.values())}
        )
    names = [_norm(c) for c in rows[at][1]]
    missing = [word for word in columns.values() if word not in names]
    if missing:
        raise ValidationError(
            _("Filen saknar kolumnen %(columns)s. Utgå från mallen.")
            % {"columns": ", ".join(f"”{word}”" for word in missing)}
        )
    where = {key: names.index(word) for key, word in columns.items()}
    records = []
    for number, cells in rows[at + 1 :]:
        record = {
            key: _as_text(cells[col]) if col < len(cells) else "" for key, col in where.items()
        }
        if any(record.values()):
            records.append({"row": number, **record})
    if not records:
        raise ValidationError(_("Filen har inga rader under rubrikraden."))
    return records


def form_errors(form) -> list[tuple[str, str]]:
    """(column label, message) of each error of a bound form: the preview's row errors."""
    found = []
    for name, messages in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        found.extend((label, str(message)) for message in messages)
    return found
