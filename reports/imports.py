"""Spreadsheet import of actual values and targets: template, preview plan, all-or-nothing apply.

Three steps, one function each:

1. ``values_template`` / ``targets_template`` – an .xlsx per scorecard: one row per indicator
   (values, a column per month) or per metric (targets), with a hidden, locked ``id`` column so
   every row maps back, and the unit and current target for reference.
2. ``batch_create`` – reads an uploaded .xlsx or .csv (as Swedish Excel writes it: semicolons,
   decimal commas, UTF-8 with BOM or Windows-1252), compares it with what is stored and keeps
   the plan — every change old → new, and every row error — in an ``ImportBatch``. The values are
   also run through ``measurements_save`` in a transaction that is rolled back, so the preview
   shows exactly the errors (plausible range, locked periods) that confirming would meet.
3. ``batch_apply`` – writes the plan in one transaction, or nothing at all. Values go through
   ``followup.entry.measurements_save`` with source "file"; targets through ``TargetForm``, the
   validation of the edit page. Each stored value's version is remembered at preview, so a value
   someone changed in between is a conflict, not a silent overwrite.

Access is the caller's to check: ``access.can_report`` for values, ``access.can_edit`` for
targets, on the scorecard's unit.
"""

import codecs
import copy
import csv
import functools
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.numbers import NumberTooLarge, check_size, parse_decimal, too_large_message
from core.spreadsheet import safe_cell
from core.text import clean_text, first_forbidden
from core.uploads import validate_upload
from followup.entry import RowInput, measurements_save
from followup.locking import locked_months, locks_unchanged
from followup.models import Measurement
from followup.rollup import batched_refresh
from scorecards.forms import TargetForm
from scorecards.models import Comparator, Indicator, Metric, Scorecard, Source, Target

from .models import ImportBatch, ImportKind, ImportState

VALUES_SHEET = "Utfall"
TARGETS_SHEET = "Målvärden"
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_WORDS = {name: i for i, name in enumerate(MONTHS, 1)} | {
    name[:3]: i for i, name in enumerate(MONTHS, 1)
}
COMPARATOR_WORDS = {
    Comparator.LTE: "högst",
    Comparator.GTE: "minst",
    Comparator.EQ: "lika med",
    Comparator.RANGE: "intervall",
}
COMPARATOR_INPUT = {
    "högst": Comparator.LTE, "max": Comparator.LTE, "≤": Comparator.LTE, "<=": Comparator.LTE,
    "minst": Comparator.GTE, "min": Comparator.GTE, "≥": Comparator.GTE, ">=": Comparator.GTE,
    "lika med": Comparator.EQ, "=": Comparator.EQ, "exakt": Comparator.EQ,
    "intervall": Comparator.RANGE, "inom intervall": Comparator.RANGE, "mellan": Comparator.RANGE,
} | {c.value: c.value for c in Comparator}  # fmt: skip
HEADER_ROW = 5
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to far more
FOURTH = Decimal("0.0001")  # values and targets are stored with four decimals
YEAR_MIN, YEAR_MAX = 2000, 2100

NEW, CHANGED, REMOVED, UNCHANGED = "new", "changed", "removed", "unchanged"
ACTIONS = (NEW, CHANGED, REMOVED, UNCHANGED)

LOCKED_FILL = PatternFill("solid", fgColor="D9D9D9")
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Change:
    """One cell (values) or row (targets) that the file would change, or leaves as it is."""

    action: str
    row: int
    key: int  # indicator id for values, metric id for targets
    name: str
    period: str = ""
    old_text: str = ""
    new_text: str = ""
    month: int = 0
    old: object = None  # what was stored at preview: a decimal string, or a target's fields
    new: object = None
    version: int = 0
    comment: str = ""


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    year: int = 0

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for change in self.changes:
            counts[change.action] += 1
        return counts

    def as_json(self) -> dict:
        return {
            "changes": [asdict(c) for c in self.changes],
            "errors": [asdict(e) for e in sorted(self.errors, key=lambda e: e.row)],
            "counts": self.counts(),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        return cls(
            [Change(**c) for c in data.get("changes", [])],
            [RowError(**e) for e in data.get("errors", [])],
        )


class _Rollback(Exception):
    """Raised inside a transaction to undo it, carrying what the block found."""


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
    locked = locked_months(card.year)
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


# --- reading a file -------------------------------------------------------------------------


def read_rows(upload, *, sheet: str) -> list[tuple[int, list]]:
    """The rows of an uploaded .xlsx (``sheet``, else its first) or .csv: (row number, cells).

    Raises ``ValidationError`` in Swedish for a file that is too big, of the wrong type, or
    unreadable. Row numbers are the ones the user sees in the spreadsheet.
    """
    kind = validate_upload(
        upload, kinds=("xlsx", "csv"), max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES
    )
    data = upload.read()
    rows = _read_xlsx(data, sheet) if kind == "xlsx" else _read_csv(data)
    _refuse_forbidden_characters(rows)
    return [(number, cells) for number, cells in rows if any(_text(c) for c in cells)]


def _refuse_forbidden_characters(rows: list[tuple[int, list]]) -> None:
    """Refuse a file with a character no export could write (``core.text``), naming its cell.

    Checked here, where every cell is read, so no message, plan or stored text carries one.
    """
    for number, cells in rows:
        for col, cell in enumerate(cells):
            code = first_forbidden(cell) if isinstance(cell, str) else None
            if code:
                raise ValidationError(
                    _(
                        "Cellen %(cell)s innehåller ett osynligt tecken som inte kan läsas in "
                        "(%(code)s), ofta från inklistrad text. Ta bort det och ladda upp filen "
                        "igen."
                    )
                    % {"cell": f"{get_column_letter(col + 1)}{number}", "code": code}
                )


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("Filen har för många rader. Högst %(max)s rader kan läsas in åt gången.")
        % {"max": MAX_ROWS}
    )


def _read_xlsx(data: bytes, sheet: str) -> list[tuple[int, list]]:
    unreadable = ValidationError(_("Filen kunde inte läsas som en Excel-fil (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _too_many_rows()
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds for a broken file
        raise unreadable from None
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        rows = []
        for number, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            if number > MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, list(cells)))
        return rows
    except ValidationError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        wb.close()


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "cp1252"]  # what Swedish Excel writes as "CSV (semikolonavgränsad)"
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("Filens teckenkodning känns inte igen. Spara den som CSV UTF-8 eller CSV från Excel.")
    )


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    text = _decode(data)
    sample = text.splitlines()[:20]
    # Semicolons unless the file plainly uses something else: Swedish Excel writes semicolons.
    delimiter = max([";", "\t", ","], key=lambda d: sum(line.count(d) for line in sample))
    if not any(delimiter in line for line in sample):
        delimiter = ";"
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        if number > MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, [c if c.strip() else None for c in cells[:MAX_COLUMNS]]))
    return rows


def _text(cell) -> str:
    return "" if cell is None else str(cell).strip()


# Header and label words the reader looks for. Templates are written in the user's language, so
# the words are recognised in every language the site speaks and read as their Swedish key.
KEYWORDS = ("Kod", "Jämförelse", "Målvärde", "Övre gräns", "Tolerans", "Styrkort", "År")


@functools.cache
def _keyword_aliases() -> dict[str, str]:
    aliases = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            aliases |= {str(_(word)).lower(): word.lower() for word in KEYWORDS}
    return aliases


def _norm(cell) -> str:
    text = re.sub(r"\s+", " ", _text(cell)).lower()
    return _keyword_aliases().get(text, text)


def _month_of(cell) -> int | None:
    """The month a header cell names: "mars", "mar", "2026-03", or a date."""
    if isinstance(cell, datetime | date):
        return cell.month
    text = _norm(cell).rstrip(".")
    if text in MONTH_WORDS:
        return MONTH_WORDS[text]
    found = re.fullmatch(r"\d{4}-(\d{1,2})", text)
    if found and 1 <= int(found.group(1)) <= 12:
        return int(found.group(1))
    return None


def _meta(rows: list[tuple[int, list]]) -> dict[str, object]:
    """Label/value pairs above the header: "Styrkort" → id, "År" → year."""
    found = {}
    for _number, cells in rows:
        for i, cell in enumerate(cells[:-1]):
            label = _norm(cell)
            if label in ("styrkort", "år") and label not in found:
                found[label] = cells[i + 1]
    return found


def _int(cell) -> int | None:
    if isinstance(cell, bool):
        return None
    try:  # one rule for every cell: a huge number or an infinity is no id or year
        value = parse_decimal(_text(cell))
    except ValueError:
        return None
    return int(value) if value == value.to_integral_value() and value >= 0 else None


def cell_number(cell) -> tuple[Decimal | None, str]:
    """(value, "") for a number cell, (None, "") for an empty one, (None, error) otherwise."""
    if cell is None:
        return None, ""
    if isinstance(cell, bool):
        return None, _("”%(text)s” är inte ett tal.") % {"text": cell}
    if isinstance(cell, datetime | date | time):
        return None, _("”%(text)s” är ett datum, inte ett tal.") % {"text": cell}
    if isinstance(cell, int | float | Decimal):
        text = str(cell)
    else:
        text = str(cell).strip()
        if text in ("", "-", "–", "—"):
            return None, ""
        text = text.removesuffix("%").strip()
    try:
        # The size is checked before rounding (rounding 1e24 to four decimals fails) and again
        # after it (99999999999999.99999 rounds up to a fifteenth whole digit).
        value = check_size(parse_decimal(text).quantize(FOURTH, rounding=ROUND_HALF_UP))
    except NumberTooLarge:
        return None, too_large_message(cell)
    except ValueError:
        return None, _("”%(text)s” är inte ett tal.") % {"text": cell}
    return value, ""


def _find_header(rows, accept) -> int | None:
    for i, (_number, cells) in enumerate(rows):
        if accept([_norm(c) for c in cells], cells):
            return i
    return None


def _column(names: list[str], *wanted: str) -> int | None:
    return next((i for i, name in enumerate(names) if name in wanted), None)


def _check_meta(rows, card: Scorecard, errors: list[RowError], *, year: int | None) -> int | None:
    """Refuse a file made for another scorecard or year; return the file's year if it has one."""
    meta = _meta(rows)
    card_id = _int(meta.get("styrkort"))
    if card_id is not None and card_id != card.pk:
        errors.append(
            RowError(
                0,
                _("Styrkort"),
                _("Filen är en mall för ett annat styrkort (id %(id)s). Ladda ner mallen för det "
                  "här styrkortet.") % {"id": card_id},
            )
        )  # fmt: skip
    file_year = _int(meta.get("år"))
    if file_year is not None and year is not None and file_year != year:
        errors.append(
            RowError(
                0,
                _("År"),
                _("Filen gäller %(file)s men styrkortet gäller %(year)s.")
                % {"file": file_year, "year": year},
            )
        )
    return file_year


def _no_header(columns: str) -> ValidationError:
    return ValidationError(
        _("Filen saknar rubrikraden (%(columns)s). Utgå från mallen för styrkortet.")
        % {"columns": columns}
    )


# --- values ---------------------------------------------------------------------------------


def values_plan(card: Scorecard, rows: list[tuple[int, list]], *, user) -> Plan:
    """What the rows would change among the scorecard's actual values for its year."""
    plan = Plan(year=card.year)

    def is_header(names, cells):
        return ("id" in names or "kod" in names) and any(_month_of(c) for c in cells)

    at = _find_header(rows, is_header)
    if at is None:
        raise _no_header(_("id eller kod, och månaderna januari–december"))
    _check_meta(rows[:at], card, plan.errors, year=card.year)
    names = [_norm(c) for c in rows[at][1]]
    id_col, code_col = _column(names, "id"), _column(names, "kod")
    month_cols = {}
    for col, cell in enumerate(rows[at][1]):
        month = _month_of(cell)
        if month and col not in (id_col, code_col):
            month_cols.setdefault(month, col)

    indicators = _indicators(scorecard_metrics(card))
    by_code = {ind.code.lower(): ind for ind in indicators.values()}
    stored = {
        (m.indicator_id, m.month): m
        for m in Measurement.objects.filter(
            unit=card.unit, year=card.year, indicator_id__in=indicators
        )
    }
    seen: dict[int, int] = {}
    for number, cells in rows[at + 1 :]:

        def get(col, cells=cells):
            return cells[col] if col is not None and col < len(cells) else None

        raw = {month: get(col) for month, col in month_cols.items()}
        if not (_text(get(id_col)) or _text(get(code_col)) or any(_text(v) for v in raw.values())):
            continue
        indicator, problem = _resolve_indicator(get(id_col), get(code_col), indicators, by_code)
        if problem:
            plan.errors.append(RowError(number, _("Mätetal"), problem))
            continue
        if indicator.pk in seen:
            plan.errors.append(
                RowError(
                    number,
                    _("Mätetal"),
                    _("Mätetalet ”%(name)s” finns redan på rad %(row)s.")
                    % {"name": indicator.name, "row": seen[indicator.pk]},
                )
            )
            continue
        seen[indicator.pk] = number
        for month, cell in sorted(raw.items()):
            _plan_value(plan, number, indicator, month, cell, stored.get((indicator.pk, month)))
    _dry_run_values(card, plan, user=user, allowed=indicators)
    return plan


def _resolve_indicator(id_cell, code_cell, indicators, by_code) -> tuple[Indicator | None, str]:
    pk, code = _int(id_cell), _text(code_cell)
    if _text(id_cell) and pk is None:
        return None, _("Id ”%(id)s” är inte ett heltal.") % {"id": _text(id_cell)}
    if pk is not None:
        indicator = indicators.get(pk)
        if indicator is None:
            return None, _(
                "Okänt mätetal (id %(id)s): det finns inte i styrkortet. Ladda ner en ny mall."
            ) % {"id": pk}
        if code and code.lower() != indicator.code.lower():
            return None, _(
                "Id %(id)s och kod ”%(code)s” pekar på olika mätetal. Ändra inte kolumnerna id och kod."
            ) % {"id": pk, "code": code}
        return indicator, ""
    if code:
        indicator = by_code.get(code.lower())
        if indicator is None:
            return None, _("Okänt mätetal (kod ”%(code)s”): det finns inte i styrkortet.") % {
                "code": code
            }
        return indicator, ""
    return None, _("Raden saknar id och kod, så den kan inte kopplas till ett mätetal.")


def _plan_value(plan: Plan, number: int, indicator: Indicator, month: int, cell, current) -> None:
    value, problem = cell_number(cell)
    period = MONTHS[month - 1]
    if problem:
        plan.errors.append(RowError(number, period, problem))
        return
    old = current.value if current else None
    if old is None and value is None:
        return
    if old is None:
        action = NEW
    elif value is None:
        action = REMOVED
    else:
        action = UNCHANGED if old == value else CHANGED
    if action in (NEW, CHANGED) and not indicator.due_in(month):
        due = ", ".join(MONTHS[m - 1] for m in range(1, 13) if indicator.due_in(m))
        plan.errors.append(
            RowError(
                number,
                period,
                _("%(name)s rapporteras inte för %(month)s, bara för: %(due)s.")
                % {"name": indicator.name, "month": period, "due": due},
            )
        )
        return
    plan.changes.append(
        Change(
            action=action,
            row=number,
            key=indicator.pk,
            name=indicator.name,
            period=period,
            month=month,
            old=None if old is None else str(old),
            new=None if value is None else str(value),
            old_text=_with_unit(indicator, old),
            new_text=_with_unit(indicator, value),
            version=current.version if current else 0,
            comment=current.comment if current else "",
        )
    )


def _with_unit(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return "–"
    # Show every decimal the file has, at least the indicator's own number of them.
    decimals = max(indicator.decimals, -value.normalize().as_tuple().exponent, 0)
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return f"{text}\u00a0{indicator.unit}" if indicator.unit else text


def _save_values(card: Scorecard, changes: list[Change], *, user, allowed):
    """Write the changes month by month through ``measurements_save``.

    Returns (errors, counts, {(indicator id, month) of each change that failed}).
    """
    by_month: dict[int, list[Change]] = defaultdict(list)
    for change in changes:
        if change.action != UNCHANGED:
            by_month[change.month].append(change)
    errors: list[RowError] = []
    failed: set[tuple[int, int]] = set()
    counts = {"created": 0, "updated": 0, "deleted": 0}
    locks: dict[int, int] = {}  # the year's locked months, read once for all months
    for month, items in sorted(by_month.items()):
        result = measurements_save(
            unit=card.unit,
            year=card.year,
            month=month,
            inputs=[
                RowInput(c.key, c.new or "", comment=c.comment, version=c.version) for c in items
            ],
            user=user,
            source=Source.FILE,
            allowed=allowed,
            locks=locks,
        )
        for c in items:
            if c.key in result.errors:
                errors.append(RowError(c.row, c.period, result.errors[c.key]))
                failed.add((c.key, month))
        counts["created"] += result.created
        counts["updated"] += result.updated
        counts["deleted"] += result.deleted
    if not locks_unchanged(locks):  # an administrator locked a period while this was written
        errors.append(RowError(0, "", _("En period låstes medan värdena sparades. Försök igen.")))
        failed.update((c.key, c.month) for c in changes if c.action != UNCHANGED)
    return errors, counts, failed


def _dry_run_values(card: Scorecard, plan: Plan, *, user, allowed) -> None:
    """Run the real write path and roll it back: the preview meets the confirm's errors."""
    try:
        with transaction.atomic(), batched_refresh():
            errors, _counts, failed = _save_values(card, plan.changes, user=user, allowed=allowed)
            raise _Rollback((errors, failed))
    except _Rollback as rollback:
        errors, failed = rollback.args[0]
        plan.errors.extend(errors)
        # A change that cannot be saved is listed as an error, not as a change.
        plan.changes = [c for c in plan.changes if (c.key, c.month) not in failed]


# --- targets --------------------------------------------------------------------------------


def _target_fields(target: Target | None) -> dict | None:
    if target is None:
        return None
    return {
        "comparator": target.comparator,
        "value": str(target.value),
        "value_high": None if target.value_high is None else str(target.value_high),
        "tolerance": str(target.tolerance),
    }


def _normalised(fields: dict | None) -> tuple | None:
    """Fields as comparable numbers: "160.0000" and "160" are the same target."""
    if fields is None:
        return None
    return tuple(
        Decimal(v) if k != "comparator" and v is not None else v for k, v in sorted(fields.items())
    )


def _target_form(metric: Metric, year: int, existing: Target | None, fields: dict) -> TargetForm:
    """The edit page's form with the file's numbers; the decision behind the target is kept."""
    data = {k: "" if v is None else v for k, v in fields.items()}
    if existing is not None:
        data |= {
            "decided_by": existing.decided_by,
            "decided_on": existing.decided_on.isoformat() if existing.decided_on else "",
            "paragraph": existing.paragraph,
            "diary_number": existing.diary_number,
        }
    return TargetForm(data, instance=existing or Target(metric=metric, year=year))


def _form_errors(form) -> str:
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def _target_label(metric: Metric, year: int, fields: dict | None) -> str:
    if fields is None:
        return _("inget målvärde")
    values = {k: None if v is None else Decimal(v) for k, v in fields.items() if k != "comparator"}
    return Target(metric=metric, year=year, comparator=fields["comparator"], **values).label


def targets_plan(card: Scorecard, rows: list[tuple[int, list]], *, year: int | None = None) -> Plan:
    """What the rows would change among the scorecard's targets of the file's year."""
    plan = Plan()

    def is_header(names, cells):
        return "id" in names and "jämförelse" in names

    at = _find_header(rows, is_header)
    if at is None:
        raise _no_header(_("id, jämförelse, målvärde, övre gräns, tolerans"))
    file_year = _check_meta(rows[:at], card, plan.errors, year=year)
    year = year or file_year or card.year
    plan.year = year
    if not YEAR_MIN <= year <= YEAR_MAX:
        plan.errors.append(
            RowError(0, _("År"), _("Året %(year)s är inte rimligt.") % {"year": year})
        )
        return plan
    names = [_norm(c) for c in rows[at][1]]
    cols = {
        "id": _column(names, "id"),
        "comparator": _column(names, "jämförelse"),
        "value": _column(names, "målvärde"),
        "value_high": _column(names, "övre gräns"),
        "tolerance": _column(names, "tolerans"),
    }
    metrics = {m.pk: m for m in scorecard_metrics(card)}
    current = {t.metric_id: t for t in Target.objects.filter(metric__in=metrics, year=year)}
    seen: dict[int, int] = {}
    for number, cells in rows[at + 1 :]:
        raw = {
            key: (cells[col] if col is not None and col < len(cells) else None)
            for key, col in cols.items()
        }
        if not any(_text(v) for v in raw.values()):
            continue
        pk = _int(raw["id"])
        metric = metrics.get(pk) if pk is not None else None
        if metric is None:
            message = (
                _("Okänt mätetal (id %(id)s): det finns inte i styrkortet. Ladda ner en ny mall.")
                % {"id": _text(raw["id"])}
                if _text(raw["id"])
                else _("Raden saknar id, så den kan inte kopplas till ett mätetal.")
            )
            plan.errors.append(RowError(number, "id", message))
            continue
        if pk in seen:
            plan.errors.append(
                RowError(
                    number,
                    _("Mätetal"),
                    _("Mätetalet ”%(name)s” på målet ”%(goal)s” finns redan på rad %(row)s.")
                    % {"name": metric.indicator.name, "goal": metric.goal.title, "row": seen[pk]},
                )
            )
            continue
        seen[pk] = number
        _plan_target(plan, number, metric, year, raw, current.get(pk))
    return plan


def _plan_target(plan: Plan, number: int, metric: Metric, year: int, raw: dict, existing) -> None:
    old = _target_fields(existing)
    errors_before = len(plan.errors)
    word = _norm(raw["comparator"])
    numbers = {}
    for key, label in (
        ("value", _("Målvärde")),
        ("value_high", _("Övre gräns")),
        ("tolerance", _("Tolerans")),
    ):
        value, problem = cell_number(raw[key])
        if problem:
            plan.errors.append(RowError(number, label, problem))
        numbers[key] = value
    if len(plan.errors) > errors_before:
        return
    if not word and all(v is None for v in numbers.values()):
        fields = None
    elif not word:
        plan.errors.append(
            RowError(
                number,
                _("Jämförelse"),
                _("Ange jämförelse: högst, minst, lika med eller intervall."),
            )
        )
        return
    elif word not in COMPARATOR_INPUT:
        plan.errors.append(
            RowError(
                number,
                _("Jämförelse"),
                _("Okänd jämförelse ”%(text)s”. Använd högst, minst, lika med eller intervall.")
                % {"text": _text(raw["comparator"])},
            )
        )
        return
    else:
        fields = {
            "comparator": COMPARATOR_INPUT[word],
            "value": None if numbers["value"] is None else str(numbers["value"]),
            "value_high": None if numbers["value_high"] is None else str(numbers["value_high"]),
            "tolerance": str(numbers["tolerance"] or Decimal(0)),
        }
        form = _target_form(metric, year, copy.copy(existing), fields)  # the plan changes nothing
        if not form.is_valid():
            plan.errors.append(RowError(number, _("Målvärde"), _form_errors(form)))
            return
    if old is None and fields is None:
        return
    if old is None:
        action = NEW
    elif fields is None:
        action = REMOVED
    else:
        action = UNCHANGED if _normalised(old) == _normalised(fields) else CHANGED
    plan.changes.append(
        Change(
            action=action,
            row=number,
            key=metric.pk,
            name=metric.indicator.name,
            period=metric.goal.title,
            old=old,
            new=fields,
            old_text=_target_label(metric, year, old),
            new_text=_target_label(metric, year, fields),
        )
    )


def _save_targets(card: Scorecard, year: int, changes: list[Change]) -> tuple[list, dict]:
    todo = [c for c in changes if c.action != UNCHANGED]
    metrics = {m.pk: m for m in scorecard_metrics(card)}
    current = {
        t.metric_id: t
        for t in Target.objects.select_for_update().filter(
            metric_id__in=[c.key for c in todo], year=year
        )
    }
    errors: list[RowError] = []
    counts = {"created": 0, "updated": 0, "deleted": 0}
    for change in todo:
        metric, existing = metrics.get(change.key), current.get(change.key)
        if metric is None or _normalised(_target_fields(existing)) != _normalised(change.old):
            errors.append(
                RowError(
                    change.row,
                    _("Målvärde"),
                    _("Målvärdet har ändrats av någon annan sedan filen lästes in. Ladda upp "
                      "filen igen."),
                )
            )  # fmt: skip
            continue
        if change.new is None:
            existing.delete()
            counts["deleted"] += 1
            continue
        form = _target_form(metric, year, existing, change.new)
        if not form.is_valid():
            errors.append(RowError(change.row, _("Målvärde"), _form_errors(form)))
            continue
        form.save()
        counts["created" if existing is None else "updated"] += 1
    return errors, counts


# --- the batch: create, apply ---------------------------------------------------------------


def batch_create(*, card: Scorecard, kind: str, upload, user, year: int | None = None):
    """Read the upload and keep its plan; raises ``ValidationError`` for an unreadable file.

    Nothing but the batch itself is written. Unconfirmed batches older than a day are removed.
    """
    if kind == ImportKind.VALUES:
        rows = read_rows(upload, sheet=VALUES_SHEET)
        plan = values_plan(card, rows, user=user)
        year = card.year
    else:
        rows = read_rows(upload, sheet=TARGETS_SHEET)
        plan = targets_plan(card, rows, year=year)
        year = plan.year
    ImportBatch.objects.stale().delete()
    return ImportBatch.objects.create(
        scorecard=card,
        kind=kind,
        year=year,
        filename=clean_text(getattr(upload, "name", "") or "").replace("\n", " ")[-255:],
        created_by=user,
        plan=plan.as_json(),
    )


class NotApplicable(ValidationError):
    """The batch has errors, or was already applied: nothing to do."""


def batch_apply(*, batch: ImportBatch, user) -> ImportBatch:
    """Write the batch's plan, all or nothing.

    If anything fails now that passed at preview (a period locked since, a value changed by
    someone else), nothing is written, the batch is marked failed and keeps the new errors.
    """
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update()
            .select_related("scorecard__unit")
            .get(pk=batch.pk)
        )
        plan = Plan.from_json(batch.plan)
        if batch.state != ImportState.PREVIEW:
            raise NotApplicable(_("Filen är redan behandlad."))
        if plan.errors:
            raise NotApplicable(_("Filen innehåller fel. Rätta dem och ladda upp filen igen."))
        card = batch.scorecard
        try:
            with transaction.atomic(), batched_refresh():
                if batch.kind == ImportKind.VALUES:
                    allowed = _indicators(scorecard_metrics(card))
                    errors, counts, _failed = _save_values(
                        card, plan.changes, user=user, allowed=allowed
                    )
                else:
                    errors, counts = _save_targets(card, batch.year, plan.changes)
                if errors:
                    raise _Rollback(errors)
        except _Rollback as rollback:
            batch.state = ImportState.FAILED
            batch.plan = {**batch.plan, "errors": [asdict(e) for e in rollback.args[0]]}
        else:
            batch.state = ImportState.APPLIED
            batch.applied_at = timezone.now()
            batch.plan = {**batch.plan, "result": counts}
        batch.save(update_fields=["state", "plan", "applied_at"])
    return batch
