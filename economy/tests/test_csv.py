"""The plain CSV of unit code, account, month, amount and kind."""

import pytest

from economy.csvfile import parse_csv, summarise_csv
from economy.importing import read_file
from economy.sie import SieError

CSV = (
    "enhet;konto;månad;belopp;typ\n"
    "soc;3010;2025-01;-1 000,50;utfall\n"
    "soc;4010;202502;2000;utfall\n"
    "soc;4010;2025-02;2500,25;budget\n"
    "msn;4010;2025-03;100.10;prognos\n"
    "msn;4010;2024-12;999;utfall\n"
)


def test_rows_and_summary_of_the_latest_year():
    parsed = read_file(CSV.encode("utf-8-sig"))
    assert parsed.csv is not None and len(parsed.csv.rows) == 5
    summary = parsed.summary()
    assert summary["format"] == "CSV"
    assert summary["totals"] == {
        "actual": {"3": "-1000.50", "4": "2000.00"},
        "budget": {"3": "0.00", "4": "2500.25"},
        "forecast": {"3": "0.00", "4": "100.10"},
    }
    units = {u["unit"]: u for u in summary["by_unit"]}
    assert units["msn"]["forecast"] == {"4": "100.10"}
    assert [y["start"] for y in summary["financial_years"]] == ["2025-01-01", "2024-01-01"]


def test_windows_1252_and_commas():
    text = "soc,3010,2025-01,-5.00,Utfall\n"
    rows = parse_csv(text.encode("cp1252")).rows
    assert rows[0].amount == -5 and rows[0].kind == "actual"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("soc;30x0;2025-01;1;utfall", "kontonummer"),
        ("soc;3010;2025-13;1;utfall", "månad"),
        ("soc;3010;2025-01;ett;utfall", "belopp"),
        ("soc;3010;2025-01;1;gissning", "typen"),
        ("soc;3010;2025-01;1", "fem fält"),
        (";3010;2025-01;1;utfall", "enhetskoden"),
    ],
)
def test_a_bad_row_is_named(line, words):
    with pytest.raises(SieError) as caught:
        parse_csv((CSV + line + "\n").encode())
    assert caught.value.errors[0][0] == 7
    assert words in caught.value.errors[0][1]


def test_an_empty_file_is_refused():
    with pytest.raises(SieError, match="inga rader"):
        summarise_csv(parse_csv(b"enhet;konto;manad;belopp;typ\n"))
