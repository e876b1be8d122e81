"""The plain CSV alternative to SIE: one amount a row — unit code, account, month, amount, kind.

    enhet;konto;månad;belopp;typ
    socialnamnden;4010;2025-03;1 234,50;utfall

Semicolons (Swedish Excel), commas or tabs; a header row is optional; the month is ÅÅÅÅ-MM or
ÅÅÅÅMM; the amount takes a decimal comma or point and spaces between thousands; the kind is
utfall, budget or prognos. UTF-8 (with or without BOM) or Windows-1252. Signs as in the
accounts: income negative, costs positive — the same as SIE.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .sie import SieError, money
from .sie.parser import MAX_AMOUNT

KINDS = {
    "utfall": "actual",
    "actual": "actual",
    "budget": "budget",
    "prognos": "forecast",
    "forecast": "forecast",
}
MONTH = re.compile(r"^(\d{4})-?(\d{2})$")
YEAR_MIN, YEAR_MAX = 2000, 2100  # the years the economy pages show (economy.views)
MAX_ERRORS = 20


@dataclass(slots=True)
class CsvRow:
    unit: str
    account: str
    month: date
    amount: Decimal
    kind: str


@dataclass
class CsvFile:
    rows: list[CsvRow] = field(default_factory=list)
    encoding: str = "utf-8"


def looks_like_csv(data: bytes) -> bool:
    """SIE files start with a #label; anything else is taken for CSV."""
    return not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"#")


def parse_csv(data: bytes) -> CsvFile:
    text, encoding = _decode(data)
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = max(";,\t", key=first.count)
    out = CsvFile(encoding=encoding)
    errors = []
    for number, cells in _lines(text, delimiter):
        if cells is None:
            errors.append((number, _("raden kan inte läsas som CSV (ett fält är för långt).")))
            break
        if not any(c.strip() for c in cells):
            continue
        if number == 1 and _is_header(cells):
            continue
        try:
            out.rows.append(_row(cells))
        except ValueError as exc:
            errors.append((number, str(exc)))
            if len(errors) >= MAX_ERRORS:
                break
    if errors:
        raise SieError(errors)
    if not out.rows:
        raise SieError([(0, _("Filen innehåller inga rader."))])
    return out


def _lines(text: str, delimiter: str):
    """(line number, cells), and (number, None) where the csv module gives up (a field past its
    size limit) — so a broken file gets a message naming the line, not a 500."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield reader.line_num, None
            return
        yield reader.line_num, cells


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _is_header(cells) -> bool:
    return len(cells) >= 4 and not re.search(r"\d", cells[3])


def _row(cells) -> CsvRow:
    if len(cells) != 5:
        raise ValueError(
            _("raden ska ha fem fält: enhet, konto, månad, belopp, typ (den har %(n)s).")
            % {"n": len(cells)}
        )
    unit, account, month, amount, kind = (c.strip() for c in cells)
    if not unit:
        raise ValueError(_("enhetskoden saknas."))
    if not re.fullmatch(r"\d{1,10}", account):
        raise ValueError(_("”%(value)s” är inget kontonummer.") % {"value": account})
    m = MONTH.match(month)
    if not m or not 1 <= int(m.group(2)) <= 12 or not YEAR_MIN <= int(m.group(1)) <= YEAR_MAX:
        raise ValueError(_("”%(value)s” är ingen månad (ÅÅÅÅ-MM).") % {"value": month})
    if kind.lower() not in KINDS:
        raise ValueError(
            _("typen ska vara utfall, budget eller prognos, inte ”%(value)s”.") % {"value": kind}
        )
    return CsvRow(
        unit,
        account,
        date(int(m.group(1)), int(m.group(2)), 1),
        _amount(amount),
        KINDS[kind.lower()],
    )


def _amount(value: str) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0]", "", value).replace("−", "-").replace(",", ".")
    try:
        if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise InvalidOperation
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("”%(value)s” är inget belopp.") % {"value": value}) from None
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError(_("”%(value)s” är ett orimligt stort belopp.") % {"value": value[:40]})
    return amount


def summarise_csv(parsed: CsvFile) -> dict:
    """The dry-run summary of a CSV: the latest year in the file, per kind and account class, in
    total and per unit code."""
    year = max(r.month.year for r in parsed.rows)
    kinds = ("actual", "budget", "forecast")
    totals = {k: {} for k in kinds}
    units: dict = {}
    for r in parsed.rows:
        if r.month.year != year:
            continue
        cls = r.account[0]
        totals[r.kind][cls] = totals[r.kind].get(cls, Decimal(0)) + r.amount
        per = units.setdefault(r.unit, {k: {} for k in kinds})
        per[r.kind][cls] = per[r.kind].get(cls, Decimal(0)) + r.amount

    def fmt(sums):
        classes = sorted({c for k in kinds for c in sums[k]})
        return {k: {c: money(sums[k].get(c, Decimal(0))) for c in classes} for k in kinds}

    return {
        "company": "",
        "sie_type": None,
        "format": "CSV",
        "encoding": parsed.encoding,
        "warnings": [],
        "financial_years": [
            {"year": y - year, "start": f"{y}-01-01", "end": f"{y}-12-31"}
            for y in sorted({r.month.year for r in parsed.rows}, reverse=True)
        ],
        "current_year": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "dimensions": [],
        "totals": fmt(totals),
        "by_unit": [{"unit": u, **fmt(s)} for u, s in sorted(units.items())],
    }
