"""Kolada faults are named: empty or failed metadata fails the sync with its reason, a value that
jumps far from its series is flagged in the report, and error texts carry no internal address.

Against recorded real Kolada answers on a local HTTP server; the broken answers (empty lists,
HTTP 500, a group without members, the 2023 value 11.1) are realistic inventions on them."""

import csv
import json
import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import make_indicator
from followup.models import Measurement
from kolada.client import KoladaBadResponse, KoladaError
from kolada.jumps import JUMP_RATIO, jumps
from kolada.models import KoladaMunicipalityGroup, KoladaValue, SyncRun
from kolada.sync import kolada_sync
from scorecards.models import Direction, Source

from .conftest import GROUP, KPI_META, RECORDED, envelope, recorded, recorded_json, serve_sync

KPI_PATH = re.compile(r"^/v3/kpi/.+")
GROUP_PATH = "/v3/municipality_groups/G37394"
DATA_PATH = re.compile(r"^/v3/data/kpi/.+")


@pytest.fixture
def sync(make_client, kolada_settings):
    def run(**kw):
        kw.setdefault("client", make_client())
        return kolada_sync(**kw)

    return run


def _nothing_written():
    assert not Measurement.objects.exists()
    assert not KoladaValue.objects.exists()
    assert not KoladaMunicipalityGroup.objects.exists()


def _failed(report, *fragments):
    assert not report.ok
    run = SyncRun.objects.get(pk=report.run.pk)
    assert run.status == SyncRun.Status.FAILED
    for fragment in fragments:
        assert fragment in report.error
        assert fragment in run.error
    assert "http:" not in run.error and "/v3/" not in run.error
    return run


# ── Metadata: an empty or failed answer fails the run with its reason ─────────────────────────


def test_an_empty_kpi_answer_fails_the_run_instead_of_skipping_every_kpi(
    kolada_server, kolada_city, sync
):
    kolada_server.expect_request(KPI_PATH).respond_with_json(envelope([]))
    report = sync()
    _failed(report, "utan uppgifter om någon av KPI:erna N00090, N00401, N03102")
    assert report.skipped == 0
    assert not [r for r, _ in kolada_server.log if r.path.startswith("/v3/data/")]
    _nothing_written()


def test_a_500_from_kpi_metadata_fails_the_run_with_its_reason(
    kolada_server, kolada_city, sync, sleeps
):
    kolada_server.expect_request(KPI_PATH).respond_with_data("", status=500)
    report = sync()
    _failed(
        report,
        "Uppgifterna om KPI:erna kunde inte hämtas från Kolada:",
        "Kolada har tekniska problem (HTTP 500)",
    )
    assert len(sleeps) == 3  # retried before giving up
    _nothing_written()


def test_kolada_not_knowing_any_linked_kpi_fails_the_run(kolada_server, kolada_city, sync):
    kolada_server.expect_request(KPI_PATH).respond_with_data("", status=404)
    report = sync()
    _failed(report, "N00090, N00401, N03102")


def test_one_unknown_kpi_among_known_ones_is_still_only_skipped(kolada_server, kolada_city, sync):
    make_indicator("Felstavat", kolada_kpi="N99999", source=Source.KOLADA)
    serve_sync(kolada_server)
    report = sync()
    assert report.ok
    assert any("Okänd KPI N99999" in line for line in report.lines)


def test_an_empty_group_answer_fails_the_run(kolada_server, kolada_city, sync):
    kolada_server.expect_request(KPI_PATH).respond_with_data(recorded(KPI_META))
    kolada_server.expect_request(GROUP_PATH).respond_with_json(envelope([]))
    report = sync()
    _failed(report, "utan jämförelsegruppen G37394", "KOLADA_COMPARISON_GROUP")
    _nothing_written()


def test_a_500_from_the_group_fails_the_run_with_its_reason(
    kolada_server, kolada_city, sync, sleeps
):
    kolada_server.expect_request(KPI_PATH).respond_with_data(recorded(KPI_META))
    kolada_server.expect_request(GROUP_PATH).respond_with_data("", status=500)
    report = sync()
    _failed(
        report,
        "Jämförelsegruppen G37394 kunde inte hämtas från Kolada:",
        "Kolada har tekniska problem (HTTP 500)",
    )
    _nothing_written()


def test_a_group_without_members_fails_the_run(kolada_server, kolada_city, sync):
    group = recorded_json(GROUP)
    group["values"][0]["members"] = []
    kolada_server.expect_request(KPI_PATH).respond_with_data(recorded(KPI_META))
    kolada_server.expect_request(GROUP_PATH).respond_with_json(group)
    _failed(sync(), "jämförelsegruppen G37394 saknar medlemmar")


def test_the_status_page_shows_the_failed_run_and_its_reason_once(
    client, kolada_city, kolada_server, kolada_settings
):
    kolada_server.expect_request(KPI_PATH).respond_with_json(envelope([]))
    client.force_login(kolada_city.admin)
    text = client.post(reverse("sync_status"), follow=True).content.decode()
    assert "Misslyckades" in text
    assert "✓" not in text
    reason = "utan uppgifter om någon av KPI:erna"
    report = text.split('id="report-heading"')[1].split("Senaste körningar")[0]
    assert report.count(reason) == 1
    # Jobs run at once in tests, so the retry policy's later attempts are runs of their own,
    # each naming its reason in the list; the shown run's row links to the report instead.
    assert "Se rapporten ovan" in text
    assert text.count(reason) == SyncRun.objects.count()


# ── Jumps ─────────────────────────────────────────────────────────────────────────────────────


def d(*values):
    return {2015 + i: Decimal(str(v)) for i, v in enumerate(values) if v is not None}


def test_a_value_far_outside_its_neighbours_is_a_jump():
    series = d(84.2, 88.8, 86.8, 84.8, 83.3, 86.2, 86.3, 86.2, 11.1)
    (jump,) = jumps(series, series)
    assert (jump.year, jump.value, jump.low, jump.high) == (
        2023,
        Decimal("11.1"),
        Decimal("86.2"),
        Decimal("86.3"),
    )


@pytest.mark.parametrize(
    "series",
    [
        d(3.96, 3.83, 3.61, 3.56, 3.53, 3.38, 3.38, 3.11),  # a steady fall (N00401, real)
        d(137909, 140547, 143304, 145415, 147734, 149280, 150109, 150975),  # growth (N01951)
        d(1.35, 2.88, 3.45, 5.03, 3.20, 7.47, 8.95, 10.48),  # a volatile result (N03102, real)
        d(6.4, 6.6, 6.5, 6.4, 6.4, 8.0, 6.9, 7.1),  # the pandemic year's sick leave (N00090)
        d(42.0),  # one value has no neighbours
    ],
)
def test_real_series_have_no_jumps(series):
    assert jumps(series, series) == []


def test_the_threshold_is_half_the_median_beyond_the_neighbours_range():
    assert JUMP_RATIO == Decimal("0.5")
    assert jumps(d(10, 10, 10, 15), [2018]) == []  # 5 beyond the range: not more than half of 10
    assert [j.year for j in jumps(d(10, 10, 10, 15.1), [2018])] == [2018]
    assert [j.year for j in jumps(d(10, 10, 10, 4.9), [2018])] == [2018]


def test_only_neighbours_within_three_years_count():
    series = {2010: Decimal(100), 2020: Decimal(10), 2021: Decimal(11)}
    assert jumps(series, [2020, 2021]) == []


def _helsingborg_rows(kpi: str) -> list[dict]:
    """Helsingborg's (1283) real values of ``kpi`` as Kolada data rows."""
    rows = []
    with (RECORDED / "helsingborg_and_riket_real_values_2015-2022.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["municipality"] == "1283" and r["kpi"] == kpi and r["gender"] == "T":
                rows.append(_row(kpi, int(r["period"]), r["value"]))
    return rows


def _row(kpi, year, value):
    return {
        "kpi": kpi,
        "municipality": "1283",
        "period": year,
        "values": [{"gender": "T", "count": 1, "status": "", "value": float(value)}],
    }


@pytest.fixture
def eligible(kolada_city):
    kolada_city.eligible = make_indicator(
        "Behöriga till yrkesprogram", kolada_kpi="N15428", direction=Direction.HIGHER,
        unit="%", source=Source.KOLADA,
    )  # fmt: skip
    return kolada_city


def test_a_full_run_of_real_values_flags_nothing(kolada_server, eligible, sync):
    serve_sync(kolada_server, extra_rows=_helsingborg_rows("N15428"))
    report = sync()
    assert report.ok, report.error
    assert report.added == 23
    assert report.flagged == 0
    assert "Granska" not in report.run.log


def test_a_value_that_jumps_is_written_and_flagged_in_the_report(
    kolada_server, eligible, sync, client
):
    serve_sync(kolada_server, extra_rows=_helsingborg_rows("N15428"))
    first = sync()
    SyncRun.objects.filter(pk=first.run.pk).update(
        started_at=timezone.make_aware(datetime(2024, 9, 1, 3, 0))
    )
    kolada_server.clear()
    delta = envelope([{**_row("N15428", 2023, "11.1"), "isdeleted": False}])
    serve_sync(kolada_server, json.dumps(delta).encode())
    report = sync()
    assert report.ok, report.error
    assert report.flagged == 1
    line = (
        "Granska: N15428 Behöriga till yrkesprogram 2023 är 11,1, långt från åren runt omkring "
        "(86,2–86,3). Värdet är sparat; jämför med Kolada och rätta vid behov."
    )
    assert line in report.lines
    assert line in SyncRun.objects.get(pk=report.run.pk).log
    assert "1 värde avviker kraftigt från sin serie" in report.summary()
    m = Measurement.objects.get(indicator=eligible.eligible, year=2023)
    assert (m.value, m.source) == (Decimal("11.1"), Source.KOLADA)
    client.force_login(eligible.admin)
    page = client.get(reverse("sync_status"), {"korning": report.run.pk}).content.decode()
    assert line in page


def test_an_unchanged_jump_is_not_flagged_again(kolada_server, eligible, sync):
    rows = [*_helsingborg_rows("N15428"), _row("N15428", 2023, "11.1")]
    serve_sync(kolada_server, extra_rows=rows)
    assert sync().flagged == 1
    assert sync(full=True).flagged == 0


# ── Error texts: plain Swedish, no internal address ───────────────────────────────────────────


def test_a_400_names_no_address(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_data("", status=400)
    with pytest.raises(KoladaError) as error:
        client_.municipalities()
    assert str(error.value) == "Kolada avvisade frågan (HTTP 400)."


def test_invalid_json_names_no_address(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_data("<html>")
    with pytest.raises(KoladaBadResponse) as error:
        client_.municipalities()
    assert str(error.value) == "Kolada svarade med något som inte är giltig JSON."


def test_a_redirect_loop_is_a_plain_reason(kolada_server, client_):
    loop = kolada_server.url_for("/v3/municipality")
    kolada_server.expect_request("/v3/municipality").respond_with_data(
        "", status=302, headers={"Location": loop}
    )
    with pytest.raises(KoladaBadResponse) as error:
        client_.municipalities()
    assert "omdirigeringar" in str(error.value)
    assert "http:" not in str(error.value)


def test_an_undecodable_answer_is_a_plain_reason(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_data(
        b"not gzip at all", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(KoladaBadResponse) as error:
        client_.municipalities()
    assert str(error.value) == "Kolada skickade ett svar som inte gick att avkoda."


@pytest.mark.parametrize(
    "base_url", ["ftp://api.kolada.se/v3/", "http:///v3/", "http://kolada\x07.se/v3/"]
)
def test_a_bad_base_url_is_named_as_the_setting(make_client, base_url):
    with pytest.raises(KoladaError) as error:
        make_client(base_url=base_url).municipalities()
    assert str(error.value) == "Kolada-adressen i inställningen KOLADA_BASE_URL är ogiltig."


@pytest.mark.parametrize(
    "status, body, reason",
    [
        (200, "{trasig", "Kolada svarade med något som inte är giltig JSON."),
        (400, "", "Kolada avvisade frågan (HTTP 400)."),
    ],
)
def test_a_failed_benchmark_refresh_says_why_once_without_an_address(
    client, world, kolada_server, kolada_settings, status, body, reason
):
    sick = make_indicator("Sjukfrånvaro", kolada_kpi="N00090", direction=Direction.LOWER)
    kolada_server.expect_request(re.compile(r"^/v3/municipality/.+")).respond_with_json(
        envelope([])
    )
    kolada_server.expect_request(DATA_PATH).respond_with_data(body, status=status)
    client.force_login(world.editor)
    url = reverse("benchmark", args=[sick.pk])
    text = client.post(url + "?m=0581", follow=True).content.decode()
    assert text.count(reason) == 1
    assert f"Jämförelsen kunde inte hämtas: {reason}" in text
    assert kolada_server.url_for("/") not in text
    assert "/v3/" not in text
