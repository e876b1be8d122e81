"""Importing an economy file (SIE 2-4 or CSV): read, plan, resolve the mappings, write.

1. ``read_file`` parses the bytes (an error names the line; nothing is written).
2. ``make_plan`` sums the current year's amounts per object (of the chosen dimension) or unit
   code, account, month and version — small enough to keep in an ``EconomyImport`` for a
   confirmation on another request, whatever the number of vouchers.
3. ``resolve`` applies today's mappings: objects → units, accounts → income-statement rows. What
   does not map (unknown objects and unit codes, accounts without a row, balance accounts, amounts
   without an object of the dimension) is summed and listed, never silently dropped.
4. ``apply_plan`` replaces the amounts of the units, years and versions the file covers, in one
   transaction with bulk inserts, and refreshes the values of indicators whose source is the
   economy (economy.metrics): all or nothing.

The command ``economy_import`` and the upload page (economy.views) both go through here.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_text
from organisation.models import OrgUnit

from .csvfile import CsvFile, looks_like_csv, parse_csv, summarise_csv
from .mapping import AccountResolver, ensure_default_statement, object_units, remember_objects
from .metrics import refresh as refresh_metrics
from .models import Amount, EconomyImport, ImportState, Version
from .sie import SieError, SieFile, money, parse, summarise, year_rows
from .sie.summary import current_year

VERSIONS = {"actual": Version.ACTUAL, "budget": Version.BUDGET, "forecast": Version.FORECAST}
OBJECT, UNIT, NONE = "obj", "unit", "none"


@dataclass
class Parsed:
    sie: SieFile | None = None
    csv: CsvFile | None = None

    def summary(self) -> dict:
        return summarise(self.sie) if self.sie is not None else summarise_csv(self.csv)


def read_file(data: bytes) -> Parsed:
    """The file parsed; raises ``SieError`` (with line numbers) for anything malformed."""
    if looks_like_csv(data):
        return Parsed(csv=parse_csv(data))
    return Parsed(sie=parse(data))


def default_dimension(sie: SieFile) -> int | None:
    """Dimension 1 (kostnadsställe/ansvar) when the file has it, else its lowest, else none."""
    used = set(sie.dimensions)
    for b in sie.balances:
        used.update(d for d, _code in b.objects)
    return 1 if 1 in used else min(used, default=None)


def make_plan(parsed: Parsed, *, dimension: int | None = None, unit_code: str = "") -> dict:
    """The amounts to import, summed (see the module doc), as JSON data."""
    if parsed.csv is not None:
        return _csv_plan(parsed.csv)
    sie = parsed.sie
    start, _end = current_year(sie)
    if dimension is None:
        dimension = default_dimension(sie)
    cells: dict = defaultdict(Decimal)
    totals: dict = defaultdict(Decimal)  # (version, account): #PSALDO/#PBUDGET without objects
    shared: dict = defaultdict(Decimal)  # (version, account): the dimension's objects' rows
    for kind, account, objects, amount, month, whole in year_rows(sie):
        version = VERSIONS[kind]
        code = next((c for d, c in objects if d == dimension), None)
        if whole or (not objects and dimension is None):
            key = (
                (OBJECT, code)
                if code is not None
                else (UNIT, unit_code)
                if unit_code
                else (NONE, "")
            )
        elif not objects:
            totals[(version, account)] += amount
            continue
        elif len(objects) == 1 and code is not None:
            key = (OBJECT, code)
            shared[(version, account)] += amount
        else:
            continue  # another dimension's share, or a combination: the totals carry it
        cells[(*key, account, month.year, month.month, version)] += amount
    undistributed = [
        [version, account, money(total - shared.get((version, account), Decimal(0)))]
        for (version, account), total in sorted(totals.items())
        if total != shared.get((version, account), Decimal(0)) and dimension is not None
    ]
    names = dict(sie.dimensions[dimension].objects) if dimension in sie.dimensions else {}
    for kind, code, *_rest in cells:
        if kind == OBJECT:
            names.setdefault(code, "")  # used in the rows but not declared with #OBJEKT
    return {
        "year": start.year,
        "dimension": dimension,
        "objects": {code: clean_text(name) for code, name in names.items()},
        "cells": [[*k[:5], k[5], money(v)] for k, v in cells.items()],
        "undistributed": undistributed,
    }


def _csv_plan(parsed: CsvFile) -> dict:
    cells: dict = defaultdict(Decimal)
    for r in parsed.rows:
        cells[(UNIT, r.unit, r.account, r.month.year, r.month.month, VERSIONS[r.kind])] += r.amount
    return {
        "year": max(r.month.year for r in parsed.rows),
        "dimension": None,
        "objects": {},
        "cells": [[*k, money(v)] for k, v in cells.items()],
        "undistributed": [],
    }


def resolve(plan: dict) -> tuple[dict, dict]:
    """({(unit id, row id, year, month, version): amount}, what did not map) under today's
    mappings. Reads only."""
    ensure_default_statement()
    row_of = AccountResolver()
    objects = object_units(plan["dimension"])
    codes = {c for kind, c, *_rest in plan["cells"] if kind == UNIT}
    units = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "pk"))
    amounts: dict = defaultdict(Decimal)
    unmapped = {
        name: defaultdict(Decimal)
        for name in ("objects", "units", "no_object", "accounts", "balance")
    }
    for kind, code, account, year, month, version, value in plan["cells"]:
        value = Decimal(value)
        if account[0] in "12":
            unmapped["balance"][account] += value
            continue
        row = row_of(account)
        if row is None:
            unmapped["accounts"][account] += value
            continue
        if kind == NONE:
            unmapped["no_object"][account] += value
            continue
        unit = objects.get(code) if kind == OBJECT else units.get(code)
        if unit is None:
            unmapped["objects" if kind == OBJECT else "units"][code] += value
            continue
        amounts[(unit, row, year, month, version)] += value
    listed = {
        name: {k: money(v) for k, v in sorted(sums.items())} for name, sums in unmapped.items()
    }
    listed["undistributed"] = plan.get("undistributed", [])
    return amounts, listed


def apply_plan(plan: dict, *, user=None) -> dict:
    """Write the plan's amounts, replacing those of the same units, years and versions; all or
    nothing. Returns what was written and what did not map."""
    try:
        return _apply(plan, user)
    except DatabaseError:
        # the database refused a row (an amount past MAX_AMOUNT…): the transaction is rolled back
        raise SieError(
            [(0, _("Databasen vägrade spara ett belopp (orimligt stort?). Inget sparades."))]
        ) from None


def _apply(plan: dict, user) -> dict:
    with transaction.atomic():
        remember_objects(plan["dimension"], plan["objects"])
        amounts, unmapped = resolve(plan)
        scope = defaultdict(set)  # (year, version) -> unit ids
        for unit, _row, year, _month, version in amounts:
            scope[(year, version)].add(unit)
        replaced = 0
        if scope:
            where = Q()
            for (year, version), unit_ids in scope.items():
                where |= Q(year=year, version=version, unit_id__in=unit_ids)
            replaced, _detail = Amount.objects.filter(where).delete()
        Amount.objects.bulk_create(
            [
                Amount(unit_id=u, row_id=r, year=y, month=m, version=v, amount=a)
                for (u, r, y, m, v), a in amounts.items()
            ],
            batch_size=2000,
        )
        years = sorted({k[2] for k in amounts})
        values = sum(refresh_metrics(year, user=user) for year in years)
    return {
        "written": len(amounts),
        "replaced": replaced,
        "units": len({k[0] for k in amounts}),
        "years": years,
        "metric_values": values,
        "unmapped": unmapped,
    }


def import_file(parsed: Parsed, *, filename: str, dimension=None, unit_code="", user=None) -> dict:
    """Plan and apply in one go (the command without --dry-run), kept as an applied import."""
    if unit_code and not OrgUnit.objects.filter(code=unit_code).exists():
        raise SieError(
            [(0, _("Det finns ingen enhet med koden ”%(code)s”.") % {"code": unit_code})]
        )
    summary = parsed.summary()
    plan = make_plan(parsed, dimension=dimension, unit_code=unit_code)
    with transaction.atomic():
        result = apply_plan(plan, user=user)
        EconomyImport.objects.create(
            filename=clean_text(filename)[-255:],
            dimension=plan["dimension"],
            year=plan["year"],
            created_by=user,
            state=ImportState.APPLIED,
            summary=summary,
            plan={k: v for k, v in plan.items() if k != "cells"},
            result=result,
            applied_at=timezone.now(),
        )
    return result
