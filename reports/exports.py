"""Spreadsheet exports: a scorecard, and scorecards at a follow-up occasion, as .xlsx.

Every text cell goes through ``core.spreadsheet.safe_cell`` (a goal title starting with
"=" stays text); numbers are written as numbers with the indicator's decimals, so the file can be
calculated with. Statuses are written as symbol and text ("✔ Uppfyllt"), as on the pages.
"""

import io

import openpyxl
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.site import site_settings
from core.spreadsheet import safe_row
from followup.evaluation import FollowUpPoint
from followup.forecast_export import forecast_cells, forecast_choice_text, forecasts_at
from followup.models import FollowUpOccasion

from .data import CardReport, GoalPart, MetricLine
from .imports import MONTHS

HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def status_text(status) -> str:
    return f"{status.icon} {status.label}" if status is not None else ""


def _yes(flag: bool) -> str:
    return _("Ja") if flag else _("Nej")


def _number_format(decimals: int) -> str:
    return "#,##0" if decimals == 0 else "#,##0." + "0" * min(decimals, 4)


class Sheet:
    """One worksheet written as a table: a bold header row, filters, frozen panes, widths."""

    def __init__(self, wb, title: str, headers: list[str], widths: dict[int, int] | None = None):
        self.ws = wb.create_sheet(title)
        self.ws.append(headers)
        for cell in self.ws[1]:
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
        self.ws.freeze_panes = "A2"
        self.columns = len(headers)
        for col in range(1, len(headers) + 1):
            width = (widths or {}).get(col, 14)
            self.ws.column_dimensions[get_column_letter(col)].width = width

    def row(self, values: list, *, decimals: int = 0, numeric: frozenset[int] = frozenset()):
        """Append ``values``; those at the ``numeric`` positions get the indicator's decimals."""
        self.ws.append(safe_row(values))
        for i, cell in enumerate(self.ws[self.ws.max_row]):
            if isinstance(cell.value, str) and len(cell.value) > 40:
                cell.alignment = WRAP
            elif i in numeric and cell.value is not None:
                cell.number_format = _number_format(decimals)

    def finish(self) -> None:
        if self.ws.max_row > 1:
            self.ws.auto_filter.ref = self.ws.dimensions


def _facts(wb, title: str, pairs: list[tuple[str, object]]):
    ws = wb.active
    ws.title = title
    for label, value in pairs:
        ws.append(safe_row([label, value]))
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.cell(row=ws.max_row, column=2).alignment = WRAP
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    return ws


def _counts_text(counts) -> str:
    text = ", ".join(f"{n} {status.icon} {status.label.lower()}" for status, n in counts)
    return f"{text} ({counts.basis})" if counts else text


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _target_cells(line: MetricLine) -> list:
    t = line.result.target
    if t is None:
        return [_("inget målvärde"), "", None, None, None, ""]
    return [
        t.label,
        t.get_comparator_display(),
        t.value,
        t.value_high,
        t.tolerance,
        t.decision_text,
    ]


def _metric_row(prefix: list, part: GoalPart, line: MetricLine, months: range):
    """The metric's cells after ``prefix``, and the positions that hold its numbers."""
    ind, r = line.indicator, line.result
    values = [
        *prefix,
        part.goal.pk,
        part.goal.title,
        line.metric.pk,
        ind.code,
        ind.name,
        ind.unit,
        *_target_cells(line),
        r.value,
        r.value_year,
        status_text(r.status),
        *[line.months.get(m) for m in months],
    ]
    start = len(prefix) + 6  # where the target cells begin
    numeric = {start + 2, start + 3, start + 4, start + 6}
    numeric |= set(range(start + 9, len(values)))
    return values, frozenset(numeric)


def scorecard_xlsx(report: CardReport) -> bytes:
    card = report.card
    wb = openpyxl.Workbook()
    _facts(
        wb,
        _("Styrkort"),
        [
            (_("Styrkort"), _("Styrkort %(year)s – %(unit)s") % {"year": card.year, "unit": card.unit.name}),
            (_("Styrkort-id"), card.pk),
            (_("Organisationsenhet"), card.unit.name),
            (_("Enhetskod"), card.unit.code),
            (_("År"), card.year),
            (_("Status"), card.get_status_display()),
            (_("Beslut"), card.decision_text),
            (_("Målprogram"), str(card.programme)),
            (_("Vision"), card.programme.vision),
            (_("Inledning"), card.introduction),
            (_("Måluppfyllelse"), _counts_text(report.counts)),
            (_("Status avser"), report.covers),
            (_("Kommun"), site_settings().name),
            (_("Exporterad"), date_format(timezone.localtime(), "Y-m-d H:i")),
        ],
    )  # fmt: skip
    goals = Sheet(
        wb,
        _("Mål"),
        [
            _("Perspektiv"), _("Mål-id"), _("Mål"), _("Prioriterat"), _("Strategier"),
            _("Status enligt mätetalen"), _("Bedömning"), _("Tillfälle"), _("Analys"),
            _("Prognos för året"),
        ],
        {3: 50, 5: 50, 6: 22, 7: 22, 9: 70, 10: 50},
    )  # fmt: skip
    metrics = Sheet(
        wb,
        _("Mätetal"),
        [
            _("Perspektiv"), _("Mål-id"), _("Mål"), _("Mätetal-id"), _("Kod"), _("Mätetal"),
            _("Måttenhet"), _("Målvärde"), _("Jämförelse"), _("Målvärde (tal)"),
            _("Övre gräns"), _("Tolerans"), _("Målvärdets beslut"), _("Utfall"),
            _("Utfallsår (om annat än styrkortets)"), _("Status"), *MONTHS,
        ],
        {3: 40, 6: 40, 8: 20, 16: 20},
    )  # fmt: skip
    for section in report.perspectives:
        name = section.perspective.name
        for part in section.goals:
            a = part.assessment
            goals.row(
                [
                    name,
                    part.goal.pk,
                    part.goal.title,
                    _yes(part.goal.prioritised),
                    "\n".join(s.text for s in part.strategies),
                    status_text(part.status),
                    f"{part.choice.icon} {part.choice.label}" if part.choice else "",
                    a.occasion.name if a else "",
                    a.analysis if a else "",
                    a.forecast if a else "",
                ]
            )
            for line in part.metrics:
                values, numeric = _metric_row([name], part, line, range(1, 13))
                metrics.row(values, decimals=line.indicator.decimals, numeric=numeric)
    goals.finish()
    metrics.finish()
    return _save(wb)


def followup_xlsx(
    reports: list[CardReport], occasion: FollowUpOccasion, *, sheets: tuple = ()
) -> bytes:
    """Scorecards at an occasion: summaries, goals with assessments, metrics up to its month.

    ``sheets``: more tables from other features, each ``(title, headers, rows)``."""
    wb = openpyxl.Workbook()
    period = f"{MONTHS[0]}–{MONTHS[occasion.end_month - 1]} {occasion.year}"
    facts = [
        (_("Tillfälle"), str(occasion)),
        (_("Period"), period),
        (_("Status avser"), FollowUpPoint.at(occasion).label),
        (_("Sista dag för rapportering"), occasion.deadline.isoformat()),
        (_("Låst"), _yes(occasion.is_locked)),
        (_("Kommun"), site_settings().name),
        (_("Exporterad"), date_format(timezone.localtime(), "Y-m-d H:i")),
    ]
    if len(reports) == 1:
        card = reports[0].card
        facts[:0] = [
            (_("Organisationsenhet"), card.unit.name),
            (_("Styrkort"), _("Styrkort %(year)s") % {"year": card.year}),
            (_("Beslut om styrkortet"), card.decision_text),
        ]
    _facts(wb, _("Uppföljning"), facts)
    summaries = Sheet(
        wb,
        _("Sammanfattning"),
        [_("Organisationsenhet"), _("Enhetskod"), _("Styrkort-id"), _("Bedömda mål"),
         _("Måluppfyllelse"), _("Sammanfattande analys")],
        {1: 30, 5: 50, 6: 90},
    )  # fmt: skip
    goals = Sheet(
        wb,
        _("Mål"),
        [
            _("Organisationsenhet"), _("Perspektiv"), _("Mål-id"), _("Mål"),
            _("Status enligt mätetalen"), _("Föreslagen bedömning"), _("Bedömning"),
            _("Analys"), _("Prognos för året"), _("Motivering av avvikelse"), _("Senast ändrad"),
            _("Bedömd måluppfyllelse vid årets slut"),
        ],
        {1: 24, 4: 50, 5: 20, 6: 22, 7: 22, 8: 70, 9: 50, 10: 40, 11: 17},
    )  # fmt: skip
    months = range(1, occasion.end_month + 1)
    metrics = Sheet(
        wb,
        _("Mätetal"),
        [
            _("Organisationsenhet"), _("Perspektiv"), _("Mål-id"), _("Mål"), _("Mätetal-id"),
            _("Kod"), _("Mätetal"), _("Måttenhet"), _("Målvärde"), _("Jämförelse"),
            _("Målvärde (tal)"), _("Övre gräns"), _("Tolerans"), _("Målvärdets beslut"),
            _("Utfall t.o.m. %(month)s") % {"month": MONTHS[occasion.end_month - 1]},
            _("Utfallsår (om annat än styrkortets)"), _("Status"),
            *[MONTHS[m - 1] for m in months],
            _("Prognos helår"), _("Bedömning av prognosen"),
        ],
        {1: 24, 4: 40, 7: 40, 9: 20, 17: 20},
    )  # fmt: skip
    forecasts = forecasts_at([r.card for r in reports], occasion)
    for report in reports:
        card = report.card
        summaries.row(
            [
                card.unit.name,
                card.unit.code,
                card.pk,
                f"{report.assessed} / {len(report.goals)}",
                _counts_text(report.counts),
                report.summary.text if report.summary else "",
            ]
        )
        for section in report.perspectives:
            prefix = [card.unit.name, section.perspective.name]
            for part in section.goals:
                a = part.assessment
                goals.row(
                    [
                        *prefix,
                        part.goal.pk,
                        part.goal.title,
                        status_text(part.status),
                        f"{part.suggested.icon} {part.suggested.label}" if part.suggested else "",
                        f"{part.choice.icon} {part.choice.label}" if part.choice else "",
                        a.analysis if a else "",
                        a.forecast if a else "",
                        a.deviation_comment if a else "",
                        date_format(timezone.localtime(a.updated_at), "Y-m-d H:i") if a else "",
                        forecast_choice_text(a),
                    ]
                )
                for line in part.metrics:
                    values, numeric = _metric_row(prefix, part, line, months)
                    values += forecast_cells(forecasts, line.result, card.unit_id)
                    numeric = numeric | {len(values) - 2}
                    metrics.row(values, decimals=line.indicator.decimals, numeric=numeric)
    for sheet in (summaries, goals, metrics):
        sheet.finish()
    for title, headers, rows in sheets:
        extra = Sheet(wb, title, headers, {2: 50, 3: 30})
        for values in rows:
            extra.row(values)
        extra.finish()
    return _save(wb)
