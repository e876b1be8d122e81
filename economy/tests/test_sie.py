"""The SIE reader and its dry-run summary, on hand-written files whose sums are computed by hand
(economy/tests/files.py)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from economy.sie import SieError, parse, summarise

from .files import SIE2, SIE3, SIE4, cp437


def test_sie2_period_balances_and_budget_per_class():
    summary = summarise(parse(cp437(SIE2)))
    assert summary["company"] == "Exempelstads kommun"
    assert summary["sie_type"] == 2
    assert summary["actuals_from"] == "PSALDO"
    assert summary["financial_years"] == [
        {"year": 0, "start": "2025-01-01", "end": "2025-12-31"},
        {"year": -1, "start": "2024-01-01", "end": "2024-12-31"},
    ]
    assert summary["totals"] == {
        "actual": {"3": "-1500.00", "4": "4100.75", "5": "300.00", "7": "125.75", "8": "0.00"},
        "budget": {"3": "-1200.00", "4": "4000.00", "5": "0.00", "7": "0.00", "8": "50.00"},
    }
    assert summary["by_object"] == []


def test_sie3_objects_cp437_names_and_escaped_quotes():
    sie = parse(cp437(SIE3))
    assert sie.company == 'Förvaltning Öst "Norr"'
    assert sie.dimensions[1].objects == {
        "100": "Socialförvaltningen",
        "200": "Miljö- och byggförvaltningen",
    }
    assert sie.dimensions[21].parent == 1
    summary = summarise(sie)
    assert summary["totals"] == {
        "actual": {"3": "-800.00", "4": "1500.00"},
        "budget": {"3": "-900.00", "4": "1200.00"},
    }
    by = {(o["dimension"], o["object"]): o for o in summary["by_object"]}
    assert by[(1, "100")]["actual"] == {"3": "-300.00", "4": "1000.00"}
    assert by[(1, "100")]["budget"] == {"3": "-400.00", "4": "1200.00"}
    assert by[(1, "200")]["actual"] == {"3": "-500.00", "4": "500.00"}
    assert by[(1, "200")]["budget"] == {"3": "-500.00", "4": "0.00"}
    assert by[(6, "P1")]["actual"] == {"4": "250.00"}
    assert by[(6, "P1")]["name"] == "Äldreomsorgslyftet"
    assert any("kombinationer" in w for w in summary["warnings"])


def test_sie4_transactions_rtrans_btrans_and_dates():
    sie = parse(cp437(SIE4))
    assert sie.vouchers == 4
    assert len(sie.transactions) == 10  # 3 + 3 + 2 + 2; #RTRANS and #BTRANS not counted
    summary = summarise(sie)
    assert summary["actuals_from"] == "TRANS"
    assert summary["totals"] == {
        "actual": {"1": "-729.50", "3": "-350.50", "4": "1000.00", "5": "80.00"},
        "budget": {"1": "0.00", "3": "0.00", "4": "1000.00", "5": "0.00"},
    }
    by = {(o["dimension"], o["object"]): o for o in summary["by_object"]}
    assert by[(1, "10")]["actual"] == {"3": "-250.50", "4": "700.00"}
    assert by[(1, "10")]["budget"] == {"3": "0.00", "4": "1000.00"}
    assert by[(1, "20")]["actual"] == {"3": "-100.00", "4": "300.00"}
    assert by[(1, "20")]["name"] == "Vård och omsorg"


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [
        ('#FNAMN "Kommunen', "citattecken"),
        ("#PSALDO 0 202501 3010 {} 12,50", "12,50"),
        ("#PSALDO 0 202513 3010 {} 1.00", "202513"),
        ("#PSALDO 0 202501 3010 {1} 1.00", "par"),
        ("#PBUDGET 0 202501 3010 1.00", "#PBUDGET"),
        ("#TRANS 3010 {} 1.00", "utanför"),
        ("#RAR 0 20251301 20251231", "20251301"),
        ('#OBJEKT 1 "" "Tom"', "tom"),
        ("#SIETYP 9", "SIE-typen"),
        ("Löner 100", "etikett"),
        ("}", "utanför"),
    ],
)
def test_a_malformed_line_is_named(bad_line, words):
    lines = SIE3.splitlines()
    lines.insert(5, bad_line)
    with pytest.raises(SieError) as caught:
        parse(cp437("\n".join(lines)))
    assert caught.value.errors[0][0] == 6
    assert words in caught.value.errors[0][1]
    assert str(caught.value).startswith("Rad 6:")


@pytest.mark.parametrize(
    "bad",
    [
        "#TRANS 4010 {} 1.00 2025",
        '#TRANS 4010 {} 1.00 20250101 "Obalanserad',
        "#TRANS 4010 {1} 1.00",
        "#TRANS 40x0 {} 1.00",
        "#TRANS 4010 {} 1,00",
        "#TRANS 4010 {} 1.00 20250231",
        "#KONTO 4010 Löner",
    ],
)
def test_a_malformed_row_in_a_voucher_is_named(bad):
    lines = SIE4.splitlines()
    at = lines.index("{") + 1
    lines.insert(at, bad)
    with pytest.raises(SieError) as caught:
        parse(cp437("\n".join(lines)))
    assert caught.value.errors[0][0] == at + 1


def test_transaction_dates_quoted_or_empty():
    text = SIE4.replace(
        '-250.50 20250211 "Avgift"', '-250.50 "20250211" "Avgift \\"ny\\"" 1.5 "Anna"'
    )
    assert text != SIE4
    sie = parse(cp437(text))
    assert summarise(sie)["totals"] == summarise(parse(cp437(SIE4)))["totals"]
    assert [t.day.isoformat() for t in sie.transactions[3:5]] == ["2025-02-11", "2025-02-10"]


def test_an_unclosed_voucher_is_an_error():
    with pytest.raises(SieError, match="saknar avslutande"):
        parse(cp437(SIE4.rstrip().rstrip("}")))
    with pytest.raises(SieError, match="ska en rad med"):
        parse(cp437(SIE4.replace('"Taxa"\n{', '"Taxa"\n#TRANS 3010 {} 1.00')))


def test_pc8_file_holding_utf8_is_read_as_utf8_with_a_warning():
    summary = summarise(parse(SIE3.encode("utf-8")))
    assert summary["encoding"] == "utf-8"
    assert summary["company"] == 'Förvaltning Öst "Norr"'
    assert any("UTF-8" in w for w in summary["warnings"])
    assert summary["totals"]["actual"] == {"3": "-800.00", "4": "1500.00"}


def test_pc8_file_holding_latin1_is_refused():
    with pytest.raises(SieError, match="ISO-8859-1"):
        parse(SIE3.encode("latin-1"))


def test_cp437_bytes_are_decoded_as_cp437():
    data = cp437(SIE3)
    assert b"\x94" in data  # ö in CP437
    assert parse(data).encoding == "cp437"


def test_a_file_without_current_year_is_refused():
    with pytest.raises(SieError, match="RAR 0"):
        summarise(parse(cp437(SIE2.replace("#RAR 0 20250101 20251231\n", ""))))


@pytest.mark.parametrize(
    ("name", "text"), [("sie2.se", SIE2), ("sie3.se", SIE3), ("sie4.se", SIE4)]
)
def test_dry_run_json_is_the_summary_and_writes_nothing(tmp_path, name, text, django_db_blocker):
    path = tmp_path / name
    path.write_bytes(cp437(text))
    out = StringIO()
    with django_db_blocker.block():  # a dry run touches no database at all
        call_command("economy_import", str(path), "--dry-run", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data == json.loads(json.dumps(summarise(parse(cp437(text)))))
    assert data["sie_type"] == int(name[3])


def test_dry_run_of_a_malformed_file_fails_with_the_line(tmp_path):
    path = tmp_path / "bad.se"
    path.write_bytes(cp437(SIE2 + "#PSALDO 0 202501 3010 {} tolv\n"))
    with pytest.raises(CommandError, match="Rad 32:"):
        call_command("economy_import", str(path), "--dry-run", "--format", "json")
