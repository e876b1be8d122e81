"""The economy import's benchmark: a SIE 4 file of ``count`` transactions, imported as
``manage.py economy_import`` does (parse, plan, apply in one transaction), timed, then removed.

Vouchers of ten rows over twelve months, twenty cost centres (dimension 1, mapped to the city's
first units) and Kommun-Bas accounts of every income-statement class plus the bank account.
"""

import random
import time
from datetime import date

from django.db import transaction

from economy.importing import import_file, read_file
from economy.models import Amount, EconomyImport, ObjectMapping
from organisation.models import OrgUnit

ACCOUNTS = ["3010", "3510", "4010", "4110", "5410", "6110", "7010", "7810", "8410"]
OBJECTS = 20
ROWS_PER_VOUCHER = 10


def sie4_bytes(count: int, *, year: int = 2025, seed: int = 7) -> bytes:
    """A PC8 SIE 4 file with exactly ``count`` #TRANS rows (each voucher balanced on 1930)."""
    rng = random.Random(seed)
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#FNAMN "Bänkkommunen"',
        f"#RAR 0 {year}0101 {year}1231",
        '#DIM 1 "Ansvar"',
    ]
    lines += [f'#OBJEKT 1 "A{i:03}" "Ansvar {i} förvaltning"' for i in range(OBJECTS)]
    written, number = 0, 0
    while written < count:
        number += 1
        rows = min(ROWS_PER_VOUCHER, count - written)
        day = date(year, rng.randint(1, 12), rng.randint(1, 28)).strftime("%Y%m%d")
        lines += [f'#VER A {number} {day} "Verifikation {number}"', "{"]
        total = 0
        for _ in range(rows - 1):
            cents = rng.randint(-500_000, 2_000_000)
            total += cents
            obj = f"A{rng.randrange(OBJECTS):03}"
            lines.append(f'#TRANS {rng.choice(ACCOUNTS)} {{1 "{obj}"}} {cents / 100:.2f}')
        lines.append(f"#TRANS 1930 {{}} {-total / 100:.2f}")
        lines.append("}")
        written += rows
    return ("\n".join(lines) + "\n").encode("cp437")


def measure_economy_import(count: int) -> dict:
    data = sie4_bytes(count)
    units = list(OrgUnit.objects.order_by("pk").values_list("pk", flat=True)[:OBJECTS])
    before = set(ObjectMapping.objects.values_list("pk", flat=True))
    ObjectMapping.objects.bulk_create(
        [
            ObjectMapping(dimension=1, code=f"A{i:03}", unit_id=units[i % len(units)])
            for i in range(OBJECTS)
        ],
        ignore_conflicts=True,
    )
    started = time.perf_counter()
    result = import_file(read_file(data), filename="bench.se", dimension=1)
    seconds = time.perf_counter() - started
    with transaction.atomic():  # leave the benchmark's database as it was
        Amount.objects.filter(year=2025).delete()
        EconomyImport.objects.filter(filename="bench.se").delete()
        ObjectMapping.objects.exclude(pk__in=before).delete()
    return {
        "transactions": count,
        "seconds": round(seconds, 1),
        "amounts_written": result["written"],
        "bytes": len(data),
    }
