import json

import pytest
from django.contrib.auth import get_user_model

from bench.floor import floors
from bench.measure import (
    Budget,
    find_targets,
    import_plan,
    measure_import,
    measure_import_against_floor,
    measure_import_floor,
    run,
    write_json,
)
from bench.report import format_table, percentile, scale_verdicts
from followup.models import Measurement
from organisation.models import UnitKind
from scorecards.models import Scorecard


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))  # 1..20
    assert percentile(values, 95) == 19
    assert percentile(values, 50) == 10
    assert percentile([7.0], 95) == 7.0


def test_targets_point_at_the_city_and_a_reporters_own_unit(tiny_city):
    targets = find_targets()
    city = Scorecard.objects.get(pk=targets["city_card"])
    assert city.unit.parent_id is None
    entry = Scorecard.objects.get(pk=targets["entry_card"])
    assert entry.unit.kind == UnitKind.UNIT
    assert targets["entry_user"] == targets["reporters"][0]["username"]
    assert targets["password"] == "styrkort-bench"


def test_an_import_is_timed_and_rolled_back(tiny_city):
    before = Measurement.objects.count()
    admin = get_user_model().objects.get(username="bench-admin")
    result = measure_import(40, user=admin, year=find_targets()["year"])
    assert result["created"] + result["updated"] == 40
    assert result["seconds"] > 0 and result["queries"] > 0
    assert Measurement.objects.count() == before


def test_an_import_is_measured_against_its_bulk_floor_which_writes_the_same_rows(tiny_city):
    before = Measurement.objects.count()
    admin = get_user_model().objects.get(username="bench-admin")
    year = find_targets()["year"]
    floor = measure_import_floor(40, user=admin, year=year)
    result = measure_import_against_floor(40, user=admin, year=year)
    assert floor["created"] + floor["updated"] == 40
    assert (floor["created"], floor["updated"]) == (result["created"], result["updated"])
    assert result["floor_seconds"] > 0
    assert result["floor_ratio"] > 0  # tiny imports: the rounded seconds cannot check it
    assert Measurement.objects.count() == before


def test_an_import_larger_than_a_year_reaches_back_into_earlier_years(tiny_city):
    year = find_targets()["year"]
    plan = import_plan(1000, year)  # a year holds 11 units × 6 indicators × 12 months = 792
    assert sum(len(inputs) for _unit, _year, _month, inputs, _allowed in plan) == 1000
    assert {p[1] for p in plan} == {year, year - 1}
    assert plan[0][2] == 12  # December first


def test_a_run_measures_every_page_and_gives_json_and_a_table(tiny_city, tmp_path):
    budget = Budget(repeat=2, min_repeat=1, seconds=1, warmup=0)
    result = run(
        scale="tiny", db="sqlite", budget=budget, imports=(30,), pdf=False, progress=lambda m: None
    )
    names = [page["name"] for page in result["pages"]]
    assert names[:7] == [
        "baseline /healthz",
        "city scorecard /",
        "committee scorecard",
        "unit scorecard (level 5)",
        "goal chain of a city goal",
        "value entry",
        "organisation tree",
    ]
    assert {"att göra (reporter landing)", "att göra (city administrator)"} <= set(names)
    for page in result["pages"]:
        assert page["status"] == 200, page
        assert {"median_ms", "p95_ms", "cpu_median_ms", "queries", "n", "ratio"} <= set(page)
    with_floor = {p["name"] for p in result["pages"] if "floor_ratio" in p}
    assert with_floor == set(floors(find_targets()))
    for page in result["pages"]:
        if page["name"] in with_floor:
            assert page["floor_p50_ms"] > 0 and page["floor_cpu_ratio"] > 0
            assert page["floor_ratio"] == pytest.approx(
                page["p50_ms"] / page["floor_p50_ms"], rel=0.02
            )
    assert result["imports"][0]["values"] == 30
    assert result["imports"][0]["floor_ratio"] > 0
    assert result["memory"]["peak_rss_mb"] > 0
    assert result["data"]["units"] == 11
    assert all(g["verdict"] in ("PASS", "FAIL") for g in result["goals"])

    write_json(result, tmp_path / "sqlite-tiny.json")
    assert json.loads((tmp_path / "sqlite-tiny.json").read_text())["scale"] == "tiny"
    table = format_table(result)
    assert "city scorecard /" in table and "peak RSS" in table


def test_scale_verdicts_compare_medians_and_query_counts():
    def result(median, queries):
        return {
            "pages": [
                {"name": "baseline /healthz", "median_ms": 1, "queries": 1},
                {"name": "city scorecard /", "median_ms": median, "queries": queries},
            ]
        }

    ok = scale_verdicts(result(100, 12), result(140, 12))
    assert [v["verdict"] for v in ok] == ["PASS", "PASS"]
    bad = scale_verdicts(result(100, 12), result(200, 15))
    assert [v["verdict"] for v in bad] == ["FAIL", "FAIL"]


def test_every_floor_runs_and_reads_what_its_page_shows(tiny_city):
    targets = find_targets()
    found = {name: floor() for name, floor in floors(targets).items()}
    assert all(rows > 0 for rows in found.values()), found
    # The city's floor reads its goals, metrics and figures: more rows than its card alone.
    assert found["city scorecard /"] > 10


def test_the_unrelated_write_row_moves_nothing_of_the_city_and_puts_the_value_back(tiny_city):
    """Issue #16.3's row: the write is real (its own scorecard's version moves), the city's
    version never does, and the value is as before afterwards."""
    from django.test import Client

    from bench import scoped
    from followup.rollup import scoped_version

    targets = find_targets()
    rows = scoped.measure_rows(Client(), targets, Budget(repeat=3, min_repeat=3, warmup=1))
    assert [r["name"] for r in rows] == [scoped.WARM, scoped.AFTER_UNRELATED, scoped.AFTER_ANY]
    after = rows[1]
    assert after["writes"] >= 3 and after["writes_that_moved_the_city_version"] == 0
    assert after["queries"] == rows[0]["queries"] < rows[2]["queries"]  # warm, and cold
    written = Measurement.objects.get(
        unit_id=after["written"]["unit"],
        indicator_id=after["written"]["indicator"],
        month=after["written"]["month"],
        year=targets["year"],
    )
    card = Scorecard.objects.get(unit_id=written.unit_id, year=targets["year"])
    version = scoped_version([card.pk])
    written.save()  # the write the row makes, once more: its own scorecard's version moves
    assert scoped_version([card.pk]) != version
    write = scoped.UnrelatedWrite(targets["city_card"], targets["year"])
    assert write.value.pk == written.pk and write.original == written.value  # put back
