"""Importing SIE and CSV files: mappings, unmapped amounts listed, replacement, all or nothing.
Runs on SQLite and, through scripts/with-postgres.sh, on PostgreSQL."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from economy.importing import apply_plan, make_plan, read_file
from economy.mapping import ensure_default_statement
from economy.models import Amount, EconomyImport, ObjectMapping, StatementRow
from economy.sie import SieError

from .files import SIE2, SIE3, SIE4, cp437


def rows():
    ensure_default_statement()
    return {r.name: r for r in StatementRow.objects.all()}


def stored(unit):
    return {
        (a.row.name, a.year, a.month, a.version): a.amount
        for a in Amount.objects.filter(unit=unit).select_related("row")
    }


def map_objects(world, dimension=1, **codes):
    for code, unit in codes.items():
        ObjectMapping.objects.update_or_create(
            dimension=dimension, code=code, defaults={"unit": unit}
        )


@pytest.fixture
def mapped(world):
    map_objects(world, **{"100": world.unit_a, "200": world.unit_b})
    return world


def test_sie3_objects_become_units_and_accounts_rows(mapped):
    result = apply_plan(make_plan(read_file(cp437(SIE3))))
    assert stored(mapped.unit_a) == {
        ("Verksamhetens intäkter", 2025, 1, "utfall"): Decimal("-300.00"),
        ("Personalkostnader", 2025, 2, "utfall"): Decimal("1000.00"),
        ("Verksamhetens intäkter", 2025, 1, "budget"): Decimal("-400.00"),
        ("Personalkostnader", 2025, 2, "budget"): Decimal("1200.00"),
    }
    assert stored(mapped.unit_b) == {
        ("Verksamhetens intäkter", 2025, 1, "utfall"): Decimal("-500.00"),
        ("Personalkostnader", 2025, 2, "utfall"): Decimal("500.00"),
        ("Verksamhetens intäkter", 2025, 1, "budget"): Decimal("-500.00"),
    }
    assert result["written"] == 7
    # the totals equal the objects' shares, so nothing is left undistributed
    assert result["unmapped"]["undistributed"] == []


def test_unmapped_objects_and_accounts_are_listed_and_kept_for_mapping(mapped):
    text = SIE3 + '#PSALDO 0 202503 3010 {1 "300"} -70.00\n#PSALDO 0 202503 9999 {1 "100"} 5.00\n'
    result = apply_plan(make_plan(read_file(cp437(text))))
    assert result["unmapped"]["objects"] == {"300": "-70.00"}
    assert result["unmapped"]["accounts"] == {"9999": "5.00"}
    # the account's year total (-800) now differs from its objects' shares (-870): listed
    assert result["unmapped"]["undistributed"] == [["utfall", "3010", "70.00"]]
    assert ObjectMapping.objects.get(dimension=1, code="200").unit == mapped.unit_b
    waiting = ObjectMapping.objects.get(dimension=1, code="300")
    assert waiting.unit is None
    # mapped afterwards, the next import finds it
    waiting.unit = mapped.unit_a1
    waiting.save()
    apply_plan(make_plan(read_file(cp437(text))))
    assert stored(mapped.unit_a1) == {
        ("Verksamhetens intäkter", 2025, 3, "utfall"): Decimal("-70.00")
    }


def test_totals_not_shared_out_on_objects_are_listed(mapped):
    text = SIE3.replace("#PSALDO 0 202501 3010 {} -800.00", "#PSALDO 0 202501 3010 {} -850.00")
    result = apply_plan(make_plan(read_file(cp437(text))))
    assert result["unmapped"]["undistributed"] == [["utfall", "3010", "-50.00"]]


def test_sie2_goes_to_the_unit_given(world):
    parsed = read_file(cp437(SIE2))
    result = apply_plan(make_plan(parsed, unit_code=world.unit_b.code))
    amounts = stored(world.unit_b)
    assert amounts[("Verksamhetens intäkter", 2025, 2, "utfall")] == Decimal("-1000.00")
    assert amounts[("Avskrivningar", 2025, 1, "utfall")] == Decimal("125.75")  # 78 beats 7
    assert amounts[("Finansiella poster", 2025, 1, "budget")] == Decimal("50.00")
    assert ("Personalkostnader", 2024, 12, "utfall") not in amounts  # last year's, labelled 0
    assert result["units"] == 1


def test_sie4_vouchers_balance_accounts_and_rows_without_object_are_listed(world):
    map_objects(world, **{"10": world.unit_a, "20": world.unit_b})
    result = apply_plan(make_plan(read_file(cp437(SIE4))))
    assert stored(world.unit_a) == {
        ("Personalkostnader", 2025, 1, "utfall"): Decimal("700.00"),
        ("Verksamhetens intäkter", 2025, 2, "utfall"): Decimal("-250.50"),
        ("Personalkostnader", 2025, 1, "budget"): Decimal("1000.00"),
    }
    assert result["unmapped"]["balance"] == {"1930": "-729.50"}
    assert result["unmapped"]["no_object"] == {"5410": "80.00"}


def test_a_new_import_replaces_the_same_units_year_and_versions(mapped):
    apply_plan(make_plan(read_file(cp437(SIE3))))
    changed = SIE3.replace('{1 "100"} -300.00', '{1 "100"} -310.00')
    result = apply_plan(make_plan(read_file(cp437(changed))))
    assert stored(mapped.unit_a)[("Verksamhetens intäkter", 2025, 1, "utfall")] == Decimal(
        "-310.00"
    )
    assert Amount.objects.count() == 7
    assert result["replaced"] == 7


def test_all_or_nothing_when_the_database_refuses_a_row(mapped):
    apply_plan(make_plan(read_file(cp437(SIE3))))
    before = {u: stored(u) for u in (mapped.unit_a, mapped.unit_b)}
    # many good rows, then one the database refuses (past MAX_AMOUNT), on a new object
    lines = [
        f'#PSALDO 0 2025{m:02} 40{n:02} {{1 "200"}} 1.00' for m in range(1, 13) for n in range(99)
    ]
    lines.append('#PSALDO 0 202512 3010 {1 "100"} -99999999999999.00')
    lines.append('#OBJEKT 1 "900" "Ny enhet"')
    with pytest.raises(SieError, match="Inget sparades"):
        apply_plan(make_plan(read_file(cp437(SIE3 + "\n".join(lines) + "\n"))))
    assert {u: stored(u) for u in (mapped.unit_a, mapped.unit_b)} == before
    assert not ObjectMapping.objects.filter(code="900").exists()


def test_csv_import_by_unit_code(world):
    csv = f"{world.unit_a.code};4010;2025-03;1 200,50;utfall\n{world.unit_a.code};4010;2025-03;1000;prognos\nokänd;3010;2025-03;-5;budget\n"
    result = apply_plan(make_plan(read_file(csv.encode())))
    assert stored(world.unit_a) == {
        ("Personalkostnader", 2025, 3, "utfall"): Decimal("1200.50"),
        ("Personalkostnader", 2025, 3, "prognos"): Decimal("1000.00"),
    }
    assert result["unmapped"]["units"] == {"okänd": "-5.00"}


def test_command_imports_and_keeps_a_record(mapped, tmp_path):
    path = tmp_path / "ekonomi.se"
    path.write_bytes(cp437(SIE3))
    out = StringIO()
    call_command("economy_import", str(path), "--format", "json", stdout=out)
    assert '"written": 7' in out.getvalue()
    assert EconomyImport.objects.get().state == "applied"
    assert Amount.objects.count() == 7


def test_command_dry_run_writes_nothing(mapped, tmp_path):
    path = tmp_path / "ekonomi.se"
    path.write_bytes(cp437(SIE3))
    call_command("economy_import", str(path), "--dry-run", stdout=StringIO())
    assert not Amount.objects.exists() and not EconomyImport.objects.exists()


def test_command_refuses_an_unknown_unit(world, tmp_path):
    path = tmp_path / "ekonomi.se"
    path.write_bytes(cp437(SIE2))
    with pytest.raises(CommandError, match="ingen enhet"):
        call_command("economy_import", str(path), "--unit", "finns-inte", stdout=StringIO())
    assert not Amount.objects.exists()


def test_default_rows_are_the_kommun_bas_groups(db):
    assert list(rows()) == [
        "Verksamhetens intäkter",
        "Personalkostnader",
        "Övriga kostnader",
        "Avskrivningar",
        "Finansiella poster",
    ]
