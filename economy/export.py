"""A unit's economy as an .xlsx file: the page's table, every text through core.spreadsheet."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheet import safe_cell

from .figures import Economy, Line


def _row(line: Line, name: str) -> list:
    return [
        safe_cell(name),
        line.budget,
        line.budget_ytd,
        line.actual_ytd,
        line.deviation_ytd,
        line.deviation_ytd_pct,
        line.forecast,
        line.deviation_year,
        line.deviation_year_pct,
    ]


def economy_xlsx(data: Economy) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ekonomi")
    sheet.append(
        [safe_cell(f"{data.unit.name} {data.year}, {_('till och med månad')} {data.month}")]
    )
    sheet.append(
        [
            _("Rad"),
            _("Budget helår"),
            _("Budget hittills"),
            _("Utfall hittills"),
            _("Avvikelse hittills (kr)"),
            _("Avvikelse hittills (%)"),
            _("Prognos helår"),
            _("Prognosavvikelse (kr)"),
            _("Prognosavvikelse (%)"),
        ]
    )
    for line in data.lines:
        sheet.append(_row(line, line.name))
    sheet.append(_row(data.total, _("Nettokostnad")))
    for column in "BCDEGH":
        for cell in sheet[column][2:]:
            cell.number_format = "# ##0.00"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
