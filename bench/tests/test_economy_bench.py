"""The economy import's benchmark (issue 22): the generated SIE 4 file and its measurement."""

from bench.economy import measure_economy_import, sie4_bytes
from bench.report import verdicts
from economy.importing import read_file
from economy.models import Amount, EconomyImport, ObjectMapping


def test_the_generated_file_has_exactly_the_transactions_asked_for():
    parsed = read_file(sie4_bytes(2_345))
    assert len(parsed.sie.transactions) == 2_345
    assert parsed.summary()["totals"]["actual"]  # every voucher balances on 1930
    assert sum(t.amount for t in parsed.sie.transactions) == 0


def test_the_measurement_imports_and_leaves_the_database_as_it_was(world):
    measured = measure_economy_import(3_000)
    assert measured["transactions"] == 3_000 and measured["amounts_written"] > 0
    assert measured["seconds"] < 30
    assert not Amount.objects.exists() and not EconomyImport.objects.exists()
    assert not ObjectMapping.objects.exists()


def test_the_goal_is_judged():
    result = {"pages": [], "imports": [], "memory": {"peak_rss_mb": 1}}
    passed = verdicts({**result, "economy_import": {"seconds": 12.0}})
    failed = verdicts({**result, "economy_import": {"seconds": 31.0}})
    assert [v["verdict"] for v in passed if "SIE" in v["goal"]] == ["PASS"]
    assert [v["verdict"] for v in failed if "SIE" in v["goal"]] == ["FAIL"]
