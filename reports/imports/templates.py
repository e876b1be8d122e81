"""Step 1: the .xlsx templates per scorecard, for values and for targets."""

import io
from collections import defaultdict

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheet import safe_cell
from followup.locking import locked_months
from followup.models import Measurement
from scorecards.models import Indicator, Metric, Scorecard, Target

from .plan import (
    COMPARATOR_WORDS,
    HEAD_FILL,
    HEADER_ROW,
    LOCKED_FILL,
    MONTHS,
    TARGETS_SHEET,
    VALUES_SHEET,
)

# --- templates ------------------------------------------------------------------------------


def scorecard_metrics(card: Scorecard) -> list[Metric]:
    """The scorecard's metrics in page order, each with its indicator and goal."""
    return list(
        Metric.objects.filter(goal__scorecard=card)
        .select_related("indicator", "goal__perspective")
        .order_by("goal__perspective__order", "goal__order", "goal_id", "order", "pk")
    )


def _indicators(metrics: list[Metric]) -> dict[int, Indicator]:
    """Each indicator once, in page order: values belong to the indicator, not to the goal."""
    found: dict[int, Indicator] = {}
    for m in metrics:
        found.setdefault(m.indicator_id, m.indicator)
    return found


def _heading(ws, title: str, help_text: str, meta: list) -> None:
    ws["A1"] = safe_cell(title)  # it names the unit
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = help_text
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 48
    for col, value in enumerate(meta, 1):
        ws.cell(row=3, column=col, value=safe_cell(value)).font = Font(bold=col % 2 == 1)


def _header(ws, names: list[str]) -> None:
    for col, name in enumerate(names, 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4)


def _protect(ws) -> None:
    """Lock the sheet so ids and names stay as they are; input cells are unlocked one by one.

    No password: this keeps rows mappable, it is not a security boundary (the upload is checked).
    """
    ws.column_dimensions["A"].hidden = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def values_template(card: Scorecard) -> bytes:
    """The .xlsx for a scorecard's actual values: one row per indicator, one column per month.

    Stored values are filled in, so an unchanged file changes nothing and an emptied cell removes
    its value. Months the indicator is not reported in, and locked months, are grey and locked.
    """
    metrics = scorecard_metrics(card)
    indicators = _indicators(metrics)
    targets: dict[int, list[str]] = defaultdict(list)
    for t in Target.objects.filter(metric__in=metrics, year=card.year).select_related(
        "metric__indicator"
    ):
        if t.label not in targets[t.metric.indicator_id]:
            targets[t.metric.indicator_id].append(t.label)
    stored = {
        (m.indicator_id, m.month): m.value
        for m in Measurement.objects.filter(
            unit=card.unit, year=card.year, indicator_id__in=indicators
        )
    }
    locked = locked_months(card.year, card.unit)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = VALUES_SHEET
    _heading(
        ws,
        _("Utfall %(year)s – %(unit)s") % {"year": card.year, "unit": card.unit.name},
        _(
            "Fyll i utfallen i de vita cellerna, med decimalkomma eller decimalpunkt. En tömd cell "
            "tar bort värdet. Grå celler är perioder som mätetalet inte rapporteras för eller som "
            "är låsta. Ändra inte kolumnerna id och kod. Ladda upp filen som .xlsx eller CSV."
        ),
        [_("Styrkort"), card.pk, _("År"), card.year, _("Enhet"), card.unit.code],
    )
    target_head = _("Målvärde %(year)s") % {"year": card.year}
    fixed = ["id", _("Kod"), _("Mätetal"), _("Enhet"), _("Frekvens"), target_head]
    _header(ws, [*fixed, *MONTHS])
    for month in range(1, locked + 1):
        ws.cell(row=HEADER_ROW - 1, column=len(fixed) + month, value=_("låst"))
    _protect(ws)
    row = HEADER_ROW
    for ind in indicators.values():
        row += 1
        texts = [ind.code, ind.name, ind.unit, ind.get_frequency_display()]
        ws.cell(row=row, column=1, value=ind.pk)
        for col, text in enumerate(texts, 2):
            ws.cell(row=row, column=col, value=safe_cell(text))
        ws.cell(row=row, column=6, value=safe_cell("; ".join(targets[ind.pk]) or "–"))
        number_format = "0" if ind.decimals == 0 else "0." + "0" * min(ind.decimals, 4)
        for month in range(1, 13):
            cell = ws.cell(row=row, column=len(fixed) + month, value=stored.get((ind.pk, month)))
            cell.number_format = number_format
            if ind.due_in(month) and month > locked:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = LOCKED_FILL
    for letter, width in zip("ABCDEF", (6, 14, 44, 10, 10, 22), strict=True):
        ws.column_dimensions[letter].width = width
    return _save(wb)


def targets_template(card: Scorecard, year: int) -> bytes:
    """The .xlsx for a scorecard's targets of ``year``: one row per metric."""
    metrics = scorecard_metrics(card)
    current = {t.metric_id: t for t in Target.objects.filter(metric__in=metrics, year=year)}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = TARGETS_SHEET
    _heading(
        ws,
        _("Målvärden %(year)s – %(unit)s") % {"year": year, "unit": card.unit.name},
        _(
            "Jämförelse: högst, minst, lika med eller intervall (ange då även övre gräns). "
            "Tolerans: hur långt från målet ett värde får ligga och ändå räknas som nära. "
            "Töm jämförelse och målvärde för att ta bort ett målvärde. Ändra inte kolumnen id."
        ),
        [_("Styrkort"), card.pk, _("År"), year, _("Enhet"), card.unit.code],
    )
    names = [
        "id", _("Kod"), _("Mätetal"), _("Mål"), _("Perspektiv"), _("Enhet"), _("Riktning"),
        _("Jämförelse"), _("Målvärde"), _("Övre gräns"), _("Tolerans"),
    ]  # fmt: skip
    _header(ws, names)
    _protect(ws)
    choices = DataValidation(
        type="list", formula1='"' + ",".join(COMPARATOR_WORDS.values()) + '"', allow_blank=True
    )
    choices.error = _("Välj högst, minst, lika med eller intervall.")
    ws.add_data_validation(choices)
    row = HEADER_ROW
    for m in metrics:
        row += 1
        ind, target = m.indicator, current.get(m.pk)
        texts = [ind.code, ind.name, m.goal.title, m.goal.perspective.name, ind.unit]
        ws.cell(row=row, column=1, value=m.pk)
        for col, text in enumerate([*texts, ind.get_direction_display()], 2):
            ws.cell(row=row, column=col, value=safe_cell(text))
        inputs = [
            COMPARATOR_WORDS.get(target.comparator) if target else None,
            target.value if target else None,
            target.value_high if target else None,
            target.tolerance if target else None,
        ]
        for col, value in enumerate(inputs, 8):
            cell = ws.cell(row=row, column=col, value=value)
            cell.protection = Protection(locked=False)
        choices.add(f"H{row}")
    for letter, width in zip(
        "ABCDEFGHIJK", (6, 14, 40, 40, 14, 10, 18, 12, 11, 11, 10), strict=True
    ):
        ws.column_dimensions[letter].width = width
    return _save(wb)
