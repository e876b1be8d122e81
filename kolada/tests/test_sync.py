"""kolada_sync: values stored for the city, incremental runs, revisions, deletions, conflicts and
all-or-nothing failures — against recorded Kolada answers on a local HTTP server."""

import json
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.testing import make_indicator
from followup.models import FollowUpOccasion, Measurement, OccasionKind
from kolada.models import KoladaMunicipalityGroup, KoladaValue, SyncConflict, SyncRun
from kolada.sync import kolada_sync, sync_unit
from scorecards.models import Source

from .conftest import DATA_3KPI, DELTA, recorded, serve_sync


@pytest.fixture
def sync(make_client, kolada_settings):
    def run(**kw):
        kw.setdefault("client", make_client())
        return kolada_sync(**kw)

    return run


def values(indicator, unit):
    return {
        m.year: (m.value, m.source)
        for m in Measurement.objects.filter(indicator=indicator, unit=unit, month=12)
    }


def data_requests(server):
    return [r for r, _response in server.log if r.path.startswith("/v3/data/")]


def test_first_run_stores_every_yearly_value_for_the_city(kolada_server, kolada_city, sync):
    serve_sync(kolada_server)
    report = sync()
    assert report.ok, report.error
    assert report.added == 15
    assert values(kolada_city.sick, kolada_city.city) == {
        2018: (Decimal("6.4"), Source.KOLADA),
        2019: (Decimal("6.4"), Source.KOLADA),
        2020: (Decimal("8.0"), Source.KOLADA),
        2021: (Decimal("6.9"), Source.KOLADA),
        2022: (Decimal("7.1"), Source.KOLADA),
    }


def test_values_are_stored_with_four_decimals(kolada_server, kolada_city, sync):
    serve_sync(kolada_server)
    sync()
    assert values(kolada_city.ghg, kolada_city.city)[2018][0] == Decimal("3.5558")


def test_first_run_asks_for_everything_our_city_the_group_and_riket(
    kolada_server, kolada_city, sync
):
    serve_sync(kolada_server)
    sync()
    (request,) = data_requests(kolada_server)
    assert request.path == (
        "/v3/data/kpi/N00090,N00401,N03102/municipality/"
        "1283,0126,0136,0581,1490,1880,1980,2180,0000"
    )
    assert "from_date" not in request.args


def test_it_fills_the_benchmark_cache_with_every_municipality_and_gender(
    kolada_server, kolada_city, sync
):
    serve_sync(kolada_server)
    sync()
    assert KoladaValue.objects.filter(kpi="N00090", year=2020, gender="K").count() == 5
    assert KoladaValue.objects.get(
        kpi="N00090", municipality="1880", year=2020, gender="T"
    ).value == Decimal("7.0")
    group = KoladaMunicipalityGroup.objects.get(id="G37394")
    assert group.members.count() == 7


def test_the_run_is_recorded_with_its_counts(kolada_server, kolada_city, sync):
    serve_sync(kolada_server)
    report = sync()
    run = SyncRun.objects.get()
    assert report.run == run
    assert run.status == SyncRun.Status.SUCCEEDED
    assert (run.added, run.changed, run.conflicts) == (15, 0, 0)
    assert run.finished_at is not None
    assert run.scope["kpis"] == ["N00090", "N00401", "N03102"]
    assert "N00090 Sjukfrånvaro: 5 nya" in run.log


def test_progress_lines_are_reported_while_it_runs(kolada_server, kolada_city, sync):
    serve_sync(kolada_server)
    lines = []
    sync(progress=lines.append)
    assert any("Hämtar alla värden" in line for line in lines)
    assert any("sida hämtad: 75 rader" in line for line in lines)
    assert lines[-1].startswith("N03102 Årets resultat: 5 nya")


def test_a_second_run_changes_nothing(kolada_server, kolada_city, sync):
    serve_sync(kolada_server)
    sync()
    report = sync()
    assert (report.added, report.changed, report.unchanged) == (0, 0, 15)


def test_without_a_kommun_with_our_kolada_id_the_root_unit_is_used(world, settings):
    settings.MUNICIPALITY_KOLADA_ID = "1283"
    assert sync_unit() == world.city


def test_the_kommun_with_our_kolada_id_is_used(kolada_city, settings):
    settings.MUNICIPALITY_KOLADA_ID = "1283"
    kolada_city.unit_b.kolada_id = "9999"
    kolada_city.unit_b.save()
    assert sync_unit() == kolada_city.city


def test_null_values_are_skipped(kolada_server, kolada_city, sync, settings):
    serve_sync(kolada_server)
    settings.MUNICIPALITY_KOLADA_ID = "0581"  # Norrköping has no 2019 value for N00090
    report = sync()
    assert report.ok
    assert sorted(values(kolada_city.sick, kolada_city.city)) == [2018, 2020, 2021, 2022]
    assert report.skipped == 1


# ── Incremental runs ──────────────────────────────────────────────────────────────────────────


def _first_run_on(sync, server, day: date):
    serve_sync(server)
    report = sync()
    start = timezone.make_aware(datetime(day.year, day.month, day.day, 3, 0))
    SyncRun.objects.filter(pk=report.run.pk).update(started_at=start)
    server.clear()
    return report


def test_the_next_run_asks_for_changes_since_the_last_successful_run(
    kolada_server, kolada_city, sync
):
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    serve_sync(kolada_server, DELTA)
    report = sync()
    assert report.ok
    (request,) = data_requests(kolada_server)
    assert request.args["from_date"] == "2024-01-31"
    assert report.run.from_date == date(2024, 1, 31)


def test_a_revised_value_is_updated_and_the_history_shows_old_and_new(
    kolada_server, kolada_city, sync
):
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    m = Measurement.objects.get(indicator=kolada_city.sick, year=2022, month=12)
    m.value = Decimal("7.0")  # what Kolada said before it revised the figure
    m.save()
    serve_sync(kolada_server, DELTA)
    report = sync()
    assert report.changed == 1
    m.refresh_from_db()
    assert (m.value, m.source, m.version) == (Decimal("7.1"), Source.KOLADA, 2)
    history = list(m.history.order_by("history_date").values_list("value", flat=True))
    assert history[-2:] == [Decimal("7.0"), Decimal("7.1")]


def test_a_deleted_kolada_value_is_removed(kolada_server, kolada_city, sync, settings):
    settings.MUNICIPALITY_KOLADA_ID = "0581"
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    Measurement.objects.create(
        indicator=kolada_city.sick, unit=kolada_city.city, year=2019, month=12,
        value=Decimal("9.9"), source=Source.KOLADA,
    )  # fmt: skip
    serve_sync(kolada_server, DELTA)
    report = sync()
    assert report.deleted == 1
    assert 2019 not in values(kolada_city.sick, kolada_city.city)


def test_a_deletion_never_removes_a_value_a_person_entered(
    kolada_server, kolada_city, sync, settings
):
    settings.MUNICIPALITY_KOLADA_ID = "0581"
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    Measurement.objects.create(
        indicator=kolada_city.sick, unit=kolada_city.city, year=2019, month=12,
        value=Decimal("9.9"), source=Source.MANUAL,
    )  # fmt: skip
    serve_sync(kolada_server, DELTA)
    report = sync()
    assert report.deleted == 0
    assert values(kolada_city.sick, kolada_city.city)[2019] == (Decimal("9.9"), Source.MANUAL)


def test_the_deletion_also_leaves_the_benchmark_cache(kolada_server, kolada_city, sync):
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    KoladaValue.objects.create(kpi="N00090", municipality="0581", year=2019, gender="T", value=1)
    serve_sync(kolada_server, DELTA)
    sync()
    assert not KoladaValue.objects.filter(kpi="N00090", municipality="0581", year=2019).exists()


def test_a_newly_linked_indicator_gets_its_whole_history(kolada_server, kolada_city, sync):
    kolada_city.ghg.kolada_kpi = ""
    kolada_city.ghg.save()
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    kolada_city.ghg.kolada_kpi = "N00401"
    kolada_city.ghg.save()
    serve_sync(kolada_server, DELTA)
    serve_sync(kolada_server)
    sync()
    paths = {(r.path, r.args.get("from_date")) for r in data_requests(kolada_server)}
    assert paths == {
        ("/v3/data/kpi/N00090,N03102/municipality/1283,0126,0136,0581,1490,1880,1980,2180,0000",
         "2024-01-31"),
        ("/v3/data/kpi/N00401/municipality/1283,0126,0136,0581,1490,1880,1980,2180,0000", None),
    }  # fmt: skip


def test_full_asks_for_everything_again(kolada_server, kolada_city, sync):
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    serve_sync(kolada_server)
    sync(full=True)
    assert "from_date" not in data_requests(kolada_server)[0].args


# ── Values a person entered ───────────────────────────────────────────────────────────────────


def _manual(world, indicator, year, value):
    return Measurement.objects.create(
        indicator=indicator, unit=world.city, year=year, month=12, value=Decimal(value),
        source=Source.MANUAL, entered_by=world.editor, comment="Från årsredovisningen",
    )  # fmt: skip


def test_a_differing_value_a_person_entered_is_never_overwritten(kolada_server, kolada_city, sync):
    _manual(kolada_city, kolada_city.sick, 2020, "7.5")
    serve_sync(kolada_server)
    report = sync()
    assert report.conflicts == 1
    assert values(kolada_city.sick, kolada_city.city)[2020] == (Decimal("7.5"), Source.MANUAL)
    conflict = SyncConflict.objects.get()
    assert (conflict.year, conflict.kolada_value, conflict.current_value) == (
        2020,
        Decimal("8.0"),
        Decimal("7.5"),
    )
    assert not conflict.resolved


@pytest.mark.parametrize("source", [Source.FILE, Source.API])
def test_imported_values_are_protected_too(kolada_server, kolada_city, sync, source):
    m = _manual(kolada_city, kolada_city.sick, 2020, "7.5")
    Measurement.objects.filter(pk=m.pk).update(source=source)
    serve_sync(kolada_server)
    assert sync().conflicts == 1


def test_an_equal_value_a_person_entered_is_no_conflict(kolada_server, kolada_city, sync):
    _manual(kolada_city, kolada_city.sick, 2020, "8.0")
    serve_sync(kolada_server)
    report = sync()
    assert report.conflicts == 0
    assert values(kolada_city.sick, kolada_city.city)[2020][1] == Source.MANUAL


def test_the_same_conflict_is_not_recorded_twice(kolada_server, kolada_city, sync):
    _manual(kolada_city, kolada_city.sick, 2020, "7.5")
    serve_sync(kolada_server)
    sync()
    sync()
    assert SyncConflict.objects.open().count() == 1


def test_a_kept_value_is_not_raised_again_for_the_same_kolada_figure(
    kolada_server, kolada_city, sync
):
    _manual(kolada_city, kolada_city.sick, 2020, "7.5")
    serve_sync(kolada_server)
    sync()
    SyncConflict.objects.update(resolved=True, resolution=SyncConflict.Resolution.KEPT)
    report = sync()
    assert report.conflicts == 0
    assert SyncConflict.objects.open().count() == 0


def test_a_locked_period_is_not_written_but_raised_as_a_conflict(kolada_server, kolada_city, sync):
    FollowUpOccasion.objects.create(
        year=2021, kind=OccasionKind.ANNUAL, name="Årsredovisning", end_month=12,
        deadline=date(2022, 2, 15), locked_at=timezone.now(),
    )  # fmt: skip
    serve_sync(kolada_server)
    report = sync()
    assert 2021 not in values(kolada_city.sick, kolada_city.city)
    assert report.conflicts == 3  # one per indicator
    assert "låst" in SyncConflict.objects.filter(year=2021).first().reason


# ── Failures: nothing half-written ────────────────────────────────────────────────────────────


def _nothing_written(world):
    assert not Measurement.objects.exists()
    assert not KoladaValue.objects.exists()
    assert not KoladaMunicipalityGroup.objects.exists()


def test_malformed_json_fails_the_run_and_writes_nothing(kolada_server, kolada_city, sync):
    serve_sync(kolada_server, b'{"count": 75, "values": [{"kpi": ')
    report = sync()
    assert not report.ok
    assert "giltig JSON" in report.error
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.FAILED
    assert "giltig JSON" in run.error
    _nothing_written(kolada_city)


def test_network_failure_on_the_second_page_writes_nothing(kolada_server, kolada_city, sync):
    kolada_server.expect_request(re.compile(r"^/v3/kpi/.+")).respond_with_data(
        recorded("v3_kpi_N00090_N03102_N00401_N15428.json")
    )
    kolada_server.expect_request("/v3/municipality_groups/G37394").respond_with_data(
        recorded("v3_municipality_groups_G37394.json")
    )
    kolada_server.expect_request(
        re.compile(r"^/v3/data/.+"), query_string={"per_page": "5000"}
    ).respond_with_data(recorded("v3_data_3kpi_5mun_2018-2022_page1.json"))
    kolada_server.expect_request(
        re.compile(r"^/v3/data/.+"), query_string={"page": "2", "per_page": "50"}
    ).respond_with_data("", status=502)
    report = sync()
    assert "Kolada har tekniska problem (HTTP 502)" in report.error
    _nothing_written(kolada_city)
    assert SyncRun.objects.get().status == SyncRun.Status.FAILED


def test_a_429_storm_fails_with_a_clear_message(kolada_server, kolada_city, sync, sleeps):
    kolada_server.expect_request(re.compile(r"^/v3/.+")).respond_with_data(
        "", status=429, headers={"Retry-After": "2"}
    )
    report = sync()
    assert "begränsar antalet frågor" in report.error
    assert sleeps == [2.0, 2.0, 2.0]
    _nothing_written(kolada_city)


def test_a_failure_while_writing_rolls_everything_back(
    kolada_server, kolada_city, sync, monkeypatch
):
    import kolada.sync

    calls = []
    original = kolada.sync._write

    def fail_on_the_tenth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 10:
            raise kolada.sync.SyncError("Databasen slutade svara.")
        return original(*args, **kwargs)

    monkeypatch.setattr(kolada.sync, "_write", fail_on_the_tenth)
    serve_sync(kolada_server)
    report = sync()
    assert report.error == "Databasen slutade svara."
    _nothing_written(kolada_city)


def test_a_failed_run_reports_no_counts(kolada_server, kolada_city, sync):
    serve_sync(kolada_server, b"not json")
    report = sync()
    run = report.run
    assert (run.added, run.changed, run.conflicts) == (0, 0, 0)
    assert report.summary().startswith("Synkroniseringen misslyckades:")


def test_after_a_failure_the_next_run_continues_from_the_last_success(
    kolada_server, kolada_city, sync
):
    _first_run_on(sync, kolada_server, date(2024, 1, 31))
    serve_sync(kolada_server, b"broken")
    assert not sync().ok
    kolada_server.clear()
    serve_sync(kolada_server, DELTA)
    assert sync().ok
    assert data_requests(kolada_server)[-1].args["from_date"] == "2024-01-31"


def test_an_unknown_kpi_is_skipped_and_the_rest_synced(kolada_server, kolada_city, sync):
    make_indicator("Felstavat", kolada_kpi="N99999", source=Source.KOLADA)
    serve_sync(kolada_server)
    report = sync()
    assert report.ok
    assert report.added == 15
    assert any("Okänd KPI N99999" in line for line in report.lines)


def test_a_second_sync_while_one_runs_is_refused(kolada_city, sync):
    SyncRun.objects.create(started_at=timezone.now())
    report = sync()
    assert "pågår redan" in report.error


def test_a_run_left_running_for_hours_is_marked_failed(kolada_server, kolada_city, sync):
    stale = SyncRun.objects.create(started_at=timezone.now() - timezone.timedelta(hours=3))
    serve_sync(kolada_server)
    assert sync().ok
    stale.refresh_from_db()
    assert stale.status == SyncRun.Status.FAILED
    assert "avbröts" in stale.error


def test_without_kolada_linked_indicators_there_is_nothing_to_do(world, sync, kolada_server):
    report = sync()
    assert report.ok
    assert kolada_server.log == []


def test_a_custom_recorded_data_shape(kolada_server, kolada_city, sync):
    """A value Kolada reports as an integer is stored like any other."""
    doc = json.loads(recorded(DATA_3KPI))
    doc["values"] = [
        {"kpi": "N03102", "municipality": "1283", "period": 2023,
         "values": [{"gender": "T", "count": 1, "status": "", "value": 4}]},
    ]  # fmt: skip
    serve_sync(kolada_server, json.dumps(doc).encode())
    sync()
    assert values(kolada_city.result, kolada_city.city) == {2023: (Decimal("4"), Source.KOLADA)}
