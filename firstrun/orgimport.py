"""The organisation tree from a spreadsheet: code, name, kind, parent code.

The same three steps as the value import (``reports.imports``), reading the file with its reader
and reporting with its ``Plan``, ``Change`` and ``RowError``: a template, a preview that writes
nothing, and an all-or-nothing apply. The apply plans the rows again against what is stored then,
so a unit created or renamed in between is seen; any row error and nothing is written.

A row whose code exists updates that unit's name, kind and parent; a new code creates a unit.
Parents may come later in the file than their children. Units are never deleted here (they are
deactivated on their own page), so a unit missing from the file is left as it is.
"""

import io
import re
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from organisation.forms import RESERVED_CODES
from organisation.models import OrgUnit, UnitKind
from reports.imports import CHANGED, NEW, UNCHANGED, Change, Plan, RowError, read_rows

SHEET = "Organisation"
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
MAX_DEPTH = 50  # deeper than any real organisation: a longer parent chain is a loop

# Header words in Swedish and English, read as the column they name.
HEADERS = {
    "kod": "code",
    "code": "code",
    "namn": "name",
    "name": "name",
    "typ": "kind",
    "kind": "kind",
    "type": "kind",
    "överordnad kod": "parent",
    "överordnad": "parent",
    "parent code": "parent",
    "parent": "parent",
}


@dataclass
class Row:
    number: int
    code: str
    name: str
    kind: str
    parent: str


def _text(cell) -> str:
    return "" if cell is None else re.sub(r"\s+", " ", str(cell)).strip()


# --- template -------------------------------------------------------------------------------


def tree_template(kinds: tuple[str, ...]) -> bytes:
    """The current organisation, tree-ordered, as a filled-in template to edit or extend."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    heads = [_("Kod"), _("Namn"), _("Typ"), _("Överordnad kod")]
    for col, head in enumerate(heads, 1):
        ws.cell(row=1, column=col, value=head).font = Font(bold=True)
    units = OrgUnit.objects.with_tree_fields().select_related("parent")
    for number, unit in enumerate(units, 2):
        parent = unit.parent.code if unit.parent else ""
        ws.append([unit.code, unit.name, unit.get_kind_display(), parent])
        ws.row_dimensions[number].height = 15
    labels = [str(UnitKind(k).label) for k in kinds]
    check = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=False)
    check.error = _("Välj en av enhetstyperna.")
    ws.add_data_validation(check)
    check.add("C2:C5000")
    for letter, width in zip("ABCD", (18, 40, 16, 18), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading --------------------------------------------------------------------------------


def read_tree(upload) -> list[Row]:
    """The rows of the file; ``ValidationError`` for an unreadable file or a missing header."""
    rows = read_rows(upload, sheet=SHEET)
    for index, (_number, cells) in enumerate(rows[:10]):
        columns = {HEADERS.get(_text(c).lower()): i for i, c in enumerate(cells)}
        if {"code", "name", "kind", "parent"} <= columns.keys():
            return [_row(number, cells, columns) for number, cells in rows[index + 1 :]]
    raise ValidationError(
        _("Filen saknar rubrikraden: Kod, Namn, Typ och Överordnad kod. Utgå från mallen.")
    )


def _row(number: int, cells: list, columns: dict) -> Row:
    def cell(name):
        i = columns[name]
        return _text(cells[i]) if i < len(cells) else ""

    return Row(number, cell("code"), cell("name"), cell("kind"), cell("parent"))


def as_data(rows: list[Row]) -> list[list]:
    """Rows as JSON-able lists, to keep between the preview and the confirmation."""
    return [[r.number, r.code, r.name, r.kind, r.parent] for r in rows]


def from_data(data: list[list]) -> list[Row]:
    return [Row(*item) for item in data]


# --- planning -------------------------------------------------------------------------------


def _kind_words(kinds: tuple[str, ...]) -> dict[str, str]:
    words = {}
    for kind in kinds:
        words[kind] = kind
        words[str(UnitKind(kind).label).lower()] = kind
    return words


def tree_plan(rows: list[Row], *, kinds: tuple[str, ...]) -> Plan:
    """What the rows would create and change, and every row's errors. Writes nothing."""
    plan = Plan()
    stored = {u.code: u for u in OrgUnit.objects.select_related("parent")}
    words = _kind_words(kinds)
    seen: dict[str, int] = {}
    parents: dict[str, str] = {
        code: u.parent.code if u.parent else "" for code, u in stored.items()
    }
    good: list[tuple[Row, str]] = []
    if not rows:
        plan.errors.append(RowError(0, "", _("Filen innehåller inga enheter.")))
    for row in rows:
        kind = _check_row(plan, row, words, seen)
        if kind is not None:
            seen[row.code] = row.number
            parents[row.code] = row.parent
            good.append((row, kind))
    for row, kind in good:
        if not _parent_ok(plan, row, parents, seen):
            continue
        _plan_change(plan, row, kind, stored.get(row.code))
    return plan


def _check_row(plan: Plan, row: Row, words: dict, seen: dict) -> str | None:
    """The row's kind if its own cells are valid; else its errors are added and None is given."""
    errors = []
    if not row.code:
        errors.append(("Kod", _("Koden saknas.")))
    elif len(row.code) > 60 or not CODE_RE.match(row.code):
        errors.append(
            (
                "Kod",
                _("Koden får bara innehålla bokstäverna a–z, siffror, - och _ (högst 60 tecken)."),
            )
        )
    elif row.code in RESERVED_CODES:
        errors.append(
            ("Kod", _("Koden ”%(code)s” är reserverad; välj en annan.") % {"code": row.code})
        )
    elif row.code in seen:
        errors.append(
            ("Kod", _("Koden finns redan på rad %(row)s i filen.") % {"row": seen[row.code]})
        )
    if not row.name:
        errors.append(("Namn", _("Namnet saknas.")))
    elif len(row.name) > 200:
        errors.append(("Namn", _("Namnet är längre än 200 tecken.")))
    kind = words.get(row.kind.lower())
    if kind is None:
        allowed = ", ".join(str(UnitKind(k).label) for k in dict.fromkeys(words.values()))
        errors.append(
            (
                "Typ",
                _("Okänd typ ”%(kind)s”. Välj en av: %(allowed)s.")
                % {"kind": row.kind, "allowed": allowed},
            )
        )
    if row.parent and row.parent == row.code:
        errors.append(("Överordnad kod", _("En enhet kan inte ligga under sig själv.")))
    for column, message in errors:
        plan.errors.append(RowError(row.number, column, message))
    return None if errors else kind


def _parent_ok(plan: Plan, row: Row, parents: dict[str, str], seen: dict) -> bool:
    if row.parent and row.parent not in parents:
        plan.errors.append(
            RowError(
                row.number,
                "Överordnad kod",
                _("Överordnad kod ”%(code)s” finns varken i filen eller i organisationen.")
                % {"code": row.parent},
            )
        )
        return False
    code, steps = row.parent, 0
    while code:
        if code == row.code or steps > MAX_DEPTH:
            plan.errors.append(
                RowError(
                    row.number,
                    "Överordnad kod",
                    _("Enheten hamnar under sig själv genom sina överordnade enheter."),
                )
            )
            return False
        code, steps = parents.get(code, ""), steps + 1
    return True


def _describe(name: str, kind: str, parent: str) -> str:
    label = str(UnitKind(kind).label) if kind in UnitKind.values else kind
    if parent:
        return _("%(name)s (%(kind)s) under %(parent)s") % {
            "name": name,
            "kind": label,
            "parent": parent,
        }
    return _("%(name)s (%(kind)s), högst upp") % {"name": name, "kind": label}


def _plan_change(plan: Plan, row: Row, kind: str, unit: OrgUnit | None) -> None:
    new = {"code": row.code, "name": row.name, "kind": kind, "parent": row.parent}
    change = Change(
        action=NEW,
        row=row.number,
        key=0,
        name=row.code,
        new=new,
        new_text=_describe(row.name, kind, row.parent),
    )
    if unit is not None:
        old_parent = unit.parent.code if unit.parent else ""
        old = {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": old_parent}
        change.key, change.old = unit.pk, old
        change.old_text = _describe(unit.name, unit.kind, old_parent)
        change.action = UNCHANGED if old == new else CHANGED
    plan.changes.append(change)


# --- applying -------------------------------------------------------------------------------


class TreeImportError(ValidationError):
    """The rows have errors now: nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(_("Filen innehåller fel. Inget har sparats."))
        self.plan = plan


def tree_apply(*, rows: list[Row], kinds: tuple[str, ...]) -> dict[str, int]:
    """Create and change the units of ``rows``, all or nothing; the counts of what was done.

    Planned again inside the transaction, so it acts on what is stored now; raises
    ``TreeImportError`` (with the new plan) if any row is wrong.
    """
    with transaction.atomic():
        plan = tree_plan(rows, kinds=kinds)
        if plan.errors:
            raise TreeImportError(plan)
        units = {u.code: u for u in OrgUnit.objects.all()}
        pending = [c for c in plan.changes if c.action != UNCHANGED]
        # Parents first: a unit is written once its parent exists (in the file or stored).
        written: set[str] = set()
        file_codes = {c.new["code"] for c in pending}
        order = 0
        while pending:
            ready = [
                c
                for c in pending
                if not c.new["parent"]
                or c.new["parent"] not in file_codes
                or c.new["parent"] in written
            ]
            if not ready:  # cannot happen after the plan's loop check; never spin
                raise TreeImportError(plan)
            for change in ready:
                order += 1
                _write(change, units, order)
                written.add(change.new["code"])
            pending = [c for c in pending if c.new["code"] not in written]
    return plan.counts()


def _write(change: Change, units: dict[str, OrgUnit], order: int) -> None:
    new = change.new
    unit = units.get(new["code"]) or OrgUnit(code=new["code"], order=order)
    unit.name = new["name"]
    unit.kind = new["kind"]
    unit.parent = units[new["parent"]] if new["parent"] else None
    unit.save()
    units[unit.code] = unit
