"""The Kolada client against recorded responses on a real local HTTP server."""

import json
import socket
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from werkzeug import Response

from kolada.client import (
    KoladaBadResponse,
    KoladaClient,
    KoladaError,
    KoladaUnavailable,
    UnknownKpi,
    chunks,
    retry_after,
)

from .conftest import DATA_3KPI, GROUP, KPI_META, MUNICIPALITIES, envelope, recorded

DATA_PATH = (
    "/v3/data/kpi/N00090,N03102,N00401/municipality/1283,0581,1880,1980,2180"
    "/year/2018,2019,2020,2021,2022"
)
KPIS = ["N00090", "N03102", "N00401"]
MUNS = ["1283", "0581", "1880", "1980", "2180"]
YEARS = [2018, 2019, 2020, 2021, 2022]


def test_it_reads_all_rows_of_the_recorded_data(kolada_server, client_):
    kolada_server.expect_request(DATA_PATH, query_string={"per_page": "5000"}).respond_with_data(
        recorded(DATA_3KPI), content_type="application/json"
    )
    rows = client_.data(kpis=KPIS, municipalities=MUNS, years=YEARS)
    assert len({(r.kpi, r.municipality, r.year) for r in rows}) == 75
    sick_2022 = [r for r in rows if (r.kpi, r.municipality, r.year) == ("N00090", "1283", 2022)]
    assert {r.gender: r.value for r in sick_2022} == {
        "T": Decimal("7.1"),
        "K": Decimal("7.7"),
        "M": Decimal("5.1"),
    }


def test_values_are_exact_decimals(kolada_server, client_):
    kolada_server.expect_request(DATA_PATH).respond_with_data(recorded(DATA_3KPI))
    rows = client_.data(kpis=KPIS, municipalities=MUNS, years=YEARS)
    ghg = next(r for r in rows if (r.kpi, r.municipality, r.year) == ("N00401", "1283", 2018))
    assert ghg.value == Decimal("3.55584761")


def test_a_null_value_is_none_not_zero(kolada_server, client_):
    kolada_server.expect_request(DATA_PATH).respond_with_data(recorded(DATA_3KPI))
    rows = client_.data(kpis=KPIS, municipalities=MUNS, years=YEARS)
    missing = [r for r in rows if (r.kpi, r.municipality, r.year) == ("N00090", "0581", 2019)]
    assert [r.value for r in missing] == [None, None, None]


def test_it_follows_next_url_across_pages(kolada_server, client_):
    kolada_server.expect_ordered_request(
        DATA_PATH, query_string={"per_page": "5000"}
    ).respond_with_data(recorded("v3_data_3kpi_5mun_2018-2022_page1.json"))
    # page 1's next_url names api.kolada.se; the client asks the configured server for it
    kolada_server.expect_ordered_request(
        DATA_PATH, query_string={"page": "2", "per_page": "50"}
    ).respond_with_data(recorded("v3_data_3kpi_5mun_2018-2022_page2.json"))
    pages = []
    rows = client_.data(kpis=KPIS, municipalities=MUNS, years=YEARS, on_page=pages.append)
    assert pages == [50, 25]
    assert len({(r.kpi, r.municipality, r.year) for r in rows}) == 75


@pytest.mark.parametrize("last", [None, "", "absent"])
def test_paging_stops_at_null_empty_or_absent_next_url(kolada_server, client_, last):
    body = envelope([], next_url=last)
    if last == "absent":
        del body["next_url"]
    kolada_server.expect_oneshot_request("/v3/municipality").respond_with_json(body)
    assert client_.municipalities() == []
    assert client_.requests == 1


def test_a_page_linking_to_itself_is_a_bad_response(kolada_server, client_):
    own = kolada_server.url_for("/v3/municipality") + "?per_page=5000"
    kolada_server.expect_request("/v3/municipality").respond_with_json(envelope([], own))
    with pytest.raises(KoladaBadResponse):
        client_.municipalities()


def test_more_than_25_ids_are_split_into_several_requests(kolada_server, client_):
    ids = [f"{n:04d}" for n in range(1, 31)]
    first, rest = ",".join(ids[:25]), ",".join(ids[25:])
    row = {"kpi": "N00090", "period": 2022, "values": [{"gender": "T", "value": 1.5}]}
    kolada_server.expect_oneshot_request(
        f"/v3/data/kpi/N00090/municipality/{first}/year/2022"
    ).respond_with_json(envelope([{**row, "municipality": "0001"}]))
    kolada_server.expect_oneshot_request(
        f"/v3/data/kpi/N00090/municipality/{rest}/year/2022"
    ).respond_with_json(envelope([{**row, "municipality": "0030"}]))
    rows = client_.data(kpis=["N00090"], municipalities=ids, years=[2022])
    assert [r.municipality for r in rows] == ["0001", "0030"]


def test_chunks_keep_order_and_drop_duplicates():
    assert chunks(["b", "a", "b", " ", "c"], size=2) == [["b", "a"], ["c"]]


def test_it_waits_as_long_as_retry_after_says_then_succeeds(kolada_server, client_, sleeps):
    kolada_server.expect_ordered_request("/v3/municipality").respond_with_data(
        "", status=429, headers={"Retry-After": "3"}
    )
    kolada_server.expect_ordered_request("/v3/municipality").respond_with_data(
        recorded(MUNICIPALITIES)
    )
    names = {m["id"]: m["title"] for m in client_.municipalities()}
    assert names["1283"] == "Helsingborg"
    assert sleeps == [3.0]


def test_without_retry_after_it_backs_off_exponentially(kolada_server, make_client, sleeps):
    for _i in range(3):
        kolada_server.expect_ordered_request("/v3/municipality").respond_with_data("", status=503)
    kolada_server.expect_ordered_request("/v3/municipality").respond_with_data(
        recorded(MUNICIPALITIES)
    )
    client = make_client(backoff=0.5)
    assert len(client.municipalities()) == 6
    assert sleeps == [0.5, 1.0, 2.0]


def test_500_until_retries_run_out_is_unavailable(kolada_server, client_, sleeps):
    kolada_server.expect_request("/v3/municipality").respond_with_data("fel", status=500)
    with pytest.raises(KoladaUnavailable) as error:
        client_.municipalities()
    assert "tekniska problem (HTTP 500)" in str(error.value)
    assert "4 försök" in str(error.value)
    assert client_.requests == 4
    assert sleeps == [1.0, 2.0, 4.0]


def test_a_429_storm_is_unavailable_with_a_swedish_message(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_data(
        "", status=429, headers={"Retry-After": "1"}
    )
    with pytest.raises(KoladaUnavailable, match="begränsar antalet frågor"):
        client_.municipalities()


def test_a_retry_after_beyond_the_limit_gives_up_at_once(kolada_server, client_, sleeps):
    kolada_server.expect_request("/v3/municipality").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(KoladaUnavailable, match="vänta 3600 sekunder"):
        client_.municipalities()
    assert sleeps == []


def test_network_down_is_unavailable(make_client):
    client = make_client(base_url="http://127.0.0.1:9/v3/", retries=1, timeout=2)
    with pytest.raises(KoladaUnavailable, match="nätverksfel"):
        client.municipalities()


def test_a_slow_answer_times_out_and_is_unavailable(kolada_server, make_client):
    done = threading.Event()

    def slow(request):
        time.sleep(0.3)
        done.set()
        return Response("{}", content_type="application/json")

    kolada_server.expect_request("/v3/municipality").respond_with_handler(slow)
    client = make_client(timeout=0.05, retries=0)
    with pytest.raises(KoladaUnavailable, match="inte i tid"):
        client.municipalities()
    done.wait(2)  # let the server finish before the next test uses it


def test_malformed_json_is_a_bad_response(kolada_server, client_):
    kolada_server.expect_request(DATA_PATH).respond_with_data(
        '{"count": 1, "values": [', content_type="application/json"
    )
    with pytest.raises(KoladaBadResponse, match="inte är giltig JSON"):
        client_.data(kpis=KPIS, municipalities=MUNS, years=YEARS)


def test_malformed_json_is_not_retried(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_data("<html>")
    with pytest.raises(KoladaBadResponse):
        client_.municipalities()
    assert client_.requests == 1


@pytest.mark.parametrize(
    "row",
    [
        {"kpi": "N00090", "municipality": "1283", "period": 2022},
        {"kpi": "N00090", "municipality": "1283", "period": "år", "values": []},
        {"kpi": "N00090", "municipality": "1283", "period": 2022, "values": [{"gender": "X"}]},
        {
            "kpi": "N00090",
            "municipality": "1283",
            "period": 2022,
            "values": [{"gender": "T", "value": "7,1"}],
        },
    ],
)
def test_a_row_in_the_wrong_shape_is_a_bad_response(kolada_server, client_, row):
    kolada_server.expect_request("/v3/data/kpi/N00090/municipality/1283").respond_with_json(
        envelope([row])
    )
    with pytest.raises(KoladaBadResponse, match="oväntat format"):
        client_.data(kpis=["N00090"], municipalities=["1283"])


@pytest.mark.parametrize("number", ["1e24", "-1e309", "1E+25", "9" * 27])
def test_a_value_too_large_to_store_is_a_bad_response_not_a_crash(kolada_server, client_, number):
    row = {"kpi": "N00090", "municipality": "1283", "period": 2022, "values": ["@@"]}
    body = json.dumps(envelope([row])).replace('"@@"', f'{{"gender": "T", "value": {number}}}')
    kolada_server.expect_request("/v3/data/kpi/N00090/municipality/1283").respond_with_data(
        body, content_type="application/json"
    )
    with pytest.raises(KoladaBadResponse, match="oväntat format"):
        client_.data(kpis=["N00090"], municipalities=["1283"])


def test_an_envelope_without_values_is_a_bad_response(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_json({"error": "x"})
    with pytest.raises(KoladaBadResponse):
        client_.municipalities()


def test_400_is_an_error_without_retries(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_data("", status=400)
    with pytest.raises(KoladaError, match="avvisade frågan") as error:
        client_.municipalities()
    assert not isinstance(error.value, KoladaUnavailable)
    assert client_.requests == 1


def test_from_date_is_sent_and_deletions_are_flagged(kolada_server, client_):
    kolada_server.expect_request(
        "/v3/data/kpi/N00090/municipality/1283,0581",
        query_string={"from_date": "2024-01-31", "per_page": "5000"},
    ).respond_with_data(recorded("v3_data_from_date_INVENTED.json"))
    rows = client_.data(
        kpis=["N00090"], municipalities=["1283", "0581"], from_date=date(2024, 1, 31)
    )
    deleted = [r for r in rows if r.is_deleted]
    assert [(r.municipality, r.year, r.value) for r in deleted] == [("0581", 2019, None)]


def test_kpi_metadata(kolada_server, client_):
    kolada_server.expect_request("/v3/kpi/N00090,N03102,N00401,N15428").respond_with_data(
        recorded(KPI_META)
    )
    kpis = {k["id"]: k for k in client_.kpis(["N00090", "N03102", "N00401", "N15428"])}
    assert kpis["N00090"]["is_divided_by_gender"] is True
    assert kpis["N03102"]["is_divided_by_gender"] is False


def test_kpi_search_by_title(kolada_server, client_):
    body = json.loads(recorded(KPI_META))
    body["values"] = body["values"][:1]
    kolada_server.expect_request(
        "/v3/kpi", query_string={"title": "sjukfrånvaro", "per_page": "5000"}
    ).respond_with_json(body)
    assert [k["id"] for k in client_.kpi_search("sjukfrånvaro")] == ["N00090"]


def test_an_unknown_kpi_raises_unknown_kpi(kolada_server, client_):
    kolada_server.expect_request("/v3/kpi/X12345").respond_with_json(envelope([]))
    with pytest.raises(UnknownKpi, match="känner inte till KPI:n ”X12345”"):
        client_.kpi("X12345")


def test_an_unknown_id_that_makes_kolada_answer_404_is_asked_for_alone(kolada_server, client_):
    meta = json.loads(recorded(KPI_META))
    n00090 = next(k for k in meta["values"] if k["id"] == "N00090")
    kolada_server.expect_request("/v3/kpi/N00090,X12345").respond_with_data("", status=404)
    kolada_server.expect_request("/v3/kpi/N00090").respond_with_json(envelope([n00090]))
    kolada_server.expect_request("/v3/kpi/X12345").respond_with_data("", status=404)
    assert [k["id"] for k in client_.kpis(["N00090", "X12345"])] == ["N00090"]


def test_404_elsewhere_is_an_error(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality").respond_with_data("", status=404)
    with pytest.raises(KoladaError, match="HTTP 404") as error:
        client_.municipalities()
    assert error.value.status == 404


def test_municipality_group_members(kolada_server, client_):
    kolada_server.expect_request("/v3/municipality_groups/G37394").respond_with_data(
        recorded(GROUP)
    )
    (group,) = client_.municipality_groups(["G37394"])
    assert [m["member_id"] for m in group["members"]] == [
        "0126",
        "0136",
        "0581",
        "1490",
        "1880",
        "1980",
        "2180",
    ]


def test_base_url_comes_from_settings(settings):
    settings.KOLADA_BASE_URL = "http://mirror.example/kolada/v3"
    with KoladaClient() as client:
        assert client.base_url == "http://mirror.example/kolada/v3/"


def test_the_default_base_url_is_kolada_v3(settings):
    del settings.KOLADA_BASE_URL
    with KoladaClient() as client:
        assert client.base_url == "https://api.kolada.se/v3/"


def test_next_url_is_kept_on_a_mirror_path(kolada_server, make_client):
    client = make_client(base_url=kolada_server.url_for("/kolada/v3/"))
    nxt = kolada_server.url_for("/kolada/v3/municipality") + "?page=2&per_page=1"
    kolada_server.expect_ordered_request("/kolada/v3/municipality").respond_with_json(
        envelope([{"id": "1283", "title": "Helsingborg", "type": "K"}], nxt)
    )
    kolada_server.expect_ordered_request(
        "/kolada/v3/municipality", query_string={"page": "2", "per_page": "1"}
    ).respond_with_json(envelope([{"id": "0000", "title": "Riket", "type": "L"}]))
    assert [m["id"] for m in client.municipalities()] == ["1283", "0000"]


def test_requests_are_spaced_to_stay_polite(kolada_server, make_client, sleeps):
    kolada_server.expect_request("/v3/municipality").respond_with_json(envelope([]))
    clock = iter([0.0, 0.05, 0.2, 10.0])
    client = make_client(min_interval=0.2, clock=lambda: next(clock))
    client.municipalities()
    client.municipalities()
    client.municipalities()
    assert sleeps == [pytest.approx(0.15)]


@pytest.mark.parametrize("header, expected", [(None, None), ("", None), ("5", 5.0), ("soon", None)])
def test_retry_after_parsing(header, expected):
    assert retry_after(header) == expected


def test_retry_after_as_http_date_in_the_past_is_zero():
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_a_server_trickling_bytes_cannot_hold_a_request_for_ever(make_client):
    """httpx's timeout bounds each wait for bytes; one byte every 0.2 s would never trip it. The
    attempt's own deadline (3 × the timeout) does, and the retries end in a clear error."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
                until = time.monotonic() + 10  # a client without a deadline fails, not hangs
                while not stop.is_set() and time.monotonic() < until:
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        break
                    time.sleep(0.2)

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    client = make_client(
        base_url=f"http://127.0.0.1:{server.getsockname()[1]}/v3/", timeout=0.5, retries=1
    )
    start = time.monotonic()
    try:
        with pytest.raises(KoladaUnavailable, match="svarade inte i tid"):
            client.kpis(["N00090"])
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
    assert client.requests == 2
    assert time.monotonic() - start < 6  # two attempts of at most 1.5 s each, and slack
