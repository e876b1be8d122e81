"""Reading a file: .xlsx or .csv as Swedish Excel writes it, header words, cells to numbers."""

import codecs
import csv
import functools
import io
import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.numbers import NumberTooLarge, parse_decimal, too_large_message
from core.text import first_forbidden
from core.uploads import validate_upload
from scorecards.models import Scorecard

from .plan import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MONTH_WORDS,
    RowError,
)

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
KEYWORDS = (
    "Kod", "Jämförelse", "Målvärde", "Övre gräns", "Tolerans", "Styrkort", "År", "Prognos",
)  # fmt: skip


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
    if isinstance(cell, float):
        # A spreadsheet holds 15 significant digits; the rest of a float is binary noise
        # (0.1 + 0.2 = 0.30000000000000004), not decimals anyone typed.
        text = f"{cell:.15g}"
    elif isinstance(cell, int | Decimal):
        text = str(cell)
    else:
        text = str(cell).strip()
        if text in ("", "-", "–", "—"):
            return None, ""
        text = text.removesuffix("%").strip()
    try:
        # Not rounded: a value with more decimals than can be stored is refused on every route
        # (followup.entry.check_value for values, the target form's fields for targets).
        value = parse_decimal(text)
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
