"""The dry run's summary of a parsed SIE file: what an import would bring in, as plain JSON data.

For the current financial year (#RAR 0) — each row's year decided by its own period (#PSALDO,
#PBUDGET) or date (#TRANS, else its #VER's), since real exports label months of the previous
year with årsnr 0 — the sums of utfall and budget per account class (the account's first digit),
in total and per object of each dimension, as decimal strings with two decimals and the file's
signs (income negative).

Utfall comes from #PSALDO when the file has period balances, otherwise from #TRANS. A
#PSALDO/#PBUDGET row without objects is the account's total, with one object that object's
share: totals sum the rows without objects, an object's figures the rows with exactly that one
object. (Rows with several objects, a combination, are counted for neither and named in a
warning.) A #TRANS row is the whole amount: it counts in the total and for each of its objects.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from .parser import SieError, SieFile

CENT = Decimal("0.01")
KINDS = ("actual", "budget")


def money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def current_year(sie: SieFile):
    if 0 not in sie.years:
        raise SieError([(0, _("Filen saknar räkenskapsår 0 (#RAR 0 start slut)."))])
    return sie.years[0]


def year_rows(sie: SieFile):
    """(kind, account, objects, amount, month's first day) of the current year's utfall and
    budget rows, utfall from #PSALDO or #TRANS as the module doc says."""
    start, end = current_year(sie)
    first = start.replace(day=1)
    use_psaldo = any(b.kind == "actual" for b in sie.balances)
    for b in sie.balances:
        if (b.kind == "budget" or use_psaldo) and first <= b.month <= end:
            yield b.kind, b.account, b.objects, b.amount, b.month, False
    if not use_psaldo:
        for t in sie.transactions:
            if start <= t.day <= end:
                yield "actual", t.account, t.objects, t.amount, t.day.replace(day=1), True


def summarise(sie: SieFile) -> dict:
    start, end = current_year(sie)
    totals = {kind: defaultdict(Decimal) for kind in KINDS}
    by_object: dict = defaultdict(lambda: {kind: defaultdict(Decimal) for kind in KINDS})
    combinations = 0
    for kind, account, objects, amount, _month, whole in year_rows(sie):
        cls = account[0]
        if whole:
            totals[kind][cls] += amount
            for key in set(objects):
                by_object[key][kind][cls] += amount
        elif not objects:
            totals[kind][cls] += amount
        elif len(objects) == 1:
            by_object[objects[0]][kind][cls] += amount
        else:
            combinations += 1
    warnings = list(sie.warnings)
    if combinations:
        warnings.append(
            _("%(n)s rader med flera objekt (kombinationer) räknas inte per objekt.")
            % {"n": combinations}
        )
    return {
        "company": sie.company,
        "sie_type": sie.sie_type,
        "format": "SIE",
        "encoding": sie.encoding,
        "warnings": warnings,
        "financial_years": [
            {"year": nr, "start": s.isoformat(), "end": e.isoformat()}
            for nr, (s, e) in sorted(sie.years.items(), reverse=True)
        ],
        "current_year": {"start": start.isoformat(), "end": end.isoformat()},
        "actuals_from": "PSALDO" if any(b.kind == "actual" for b in sie.balances) else "TRANS",
        "vouchers": sie.vouchers,
        "transactions": len(sie.transactions),
        "dimensions": [
            {
                "number": dim.number,
                "name": dim.name,
                "parent": dim.parent,
                "objects": [{"code": c, "name": n} for c, n in sorted(dim.objects.items())],
            }
            for dim in sorted(sie.dimensions.values(), key=lambda d: d.number)
        ],
        "totals": _classes(totals),
        "by_object": [
            {
                "dimension": dim,
                "object": code,
                "name": sie.dimensions[dim].objects.get(code, "") if dim in sie.dimensions else "",
                **_classes(sums),
            }
            for (dim, code), sums in sorted(by_object.items())
        ],
    }


def _classes(sums: dict) -> dict:
    """{"actual": {"3": "-100.00", …}, "budget": {…}} with the same classes in both."""
    classes = sorted(set(sums["actual"]) | set(sums["budget"]))
    return {kind: {c: money(sums[kind].get(c, Decimal(0))) for c in classes} for kind in KINDS}
