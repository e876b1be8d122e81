"""Kolada test helpers: recorded responses served by a real local HTTP server.

The files in ``recorded/`` are real Kolada v3 answers (see their names; ``…_INVENTED`` is an
invented scenario on real numbers). ``kolada_server`` is pytest-httpserver's server under the path
``/v3/``; the client under test talks HTTP to it exactly as it would to api.kolada.se.
"""

import csv
import json
import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from kolada.catalogue import catalogue_load
from kolada.client import KoladaClient
from organisation.models import UnitKind
from scorecards.models import Source

RECORDED = Path(__file__).resolve().parent / "recorded"
DATA_3KPI = "v3_data_3kpi_5mun_2018-2022.json"
KPI_META = "v3_kpi_N00090_N03102_N00401_N15428.json"
GROUP = "v3_municipality_groups_G37394.json"
MUNICIPALITIES = "v3_municipality_5mun_plus_riket.json"
DELTA = "v3_data_from_date_INVENTED.json"


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def recorded_json(name: str) -> dict:
    return json.loads(recorded(name))


def envelope(values: list, next_url=None) -> dict:
    return {"count": len(values), "values": values, "next_url": next_url, "previous_url": None}


def riket_rows(kpis: list[str]) -> list[dict]:
    """Riket's (0000) real values for ``kpis`` as Kolada data rows, from the recorded CSV."""
    rows: dict[tuple[str, int], dict] = {}
    with (RECORDED / "helsingborg_and_riket_real_values_2015-2022.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["municipality"] == "0000" and r["kpi"] in kpis and r["value"]:
                row = rows.setdefault(
                    (r["kpi"], int(r["period"])),
                    {
                        "kpi": r["kpi"],
                        "municipality": "0000",
                        "period": int(r["period"]),
                        "values": [],
                    },
                )
                row["values"].append(
                    {"gender": r["gender"], "count": 1, "status": "", "value": float(r["value"])}
                )
    return list(rows.values())


@pytest.fixture
def kolada_server(httpserver: HTTPServer):
    yield httpserver
    httpserver.check_assertions()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(kolada_server, sleeps):
    """A client on the local server that records its waits instead of waiting."""
    clients = []

    def make(**kw) -> KoladaClient:
        kw.setdefault("base_url", kolada_server.url_for("/v3/"))
        kw.setdefault("sleep", sleeps.append)
        kw.setdefault("min_interval", 0)
        kw.setdefault("retries", 3)
        client = KoladaClient(**kw)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client_(make_client) -> KoladaClient:
    return make_client()


@pytest.fixture
def kolada_settings(settings, kolada_server):
    """Settings that point the app (views, commands) at the local server."""
    settings.KOLADA_BASE_URL = kolada_server.url_for("/v3/")
    settings.MUNICIPALITY_KOLADA_ID = "1283"
    settings.KOLADA_COMPARISON_GROUP = "G37394"
    return settings


def serve_sync(server: HTTPServer, data: str | bytes = DATA_3KPI, *, extra_rows=()) -> None:
    """Everything a sync of N00090, N00401 and N03102 asks: KPI metadata, the group, data."""
    server.expect_request(re.compile(r"^/v3/kpi/.+")).respond_with_data(
        recorded(KPI_META), content_type="application/json"
    )
    server.expect_request("/v3/municipality_groups/G37394").respond_with_data(
        recorded(GROUP), content_type="application/json"
    )
    body = recorded(data) if isinstance(data, str) else data
    if extra_rows:
        doc = json.loads(body)
        doc["values"] += list(extra_rows)
        body = json.dumps(doc).encode()
    server.expect_request(re.compile(r"^/v3/data/kpi/.+")).respond_with_data(
        body, content_type="application/json"
    )


@pytest.fixture
def kolada_city(world):
    """The world's city as Helsingborg (Kolada 1283) with three Kolada-linked indicators."""
    from core.testing import make_indicator
    from scorecards.models import Direction, Frequency

    world.city.kolada_id = "1283"
    world.city.kind = UnitKind.MUNICIPALITY
    world.city.save()
    kw = dict(source=Source.KOLADA, frequency=Frequency.YEARLY)
    world.sick = make_indicator(
        "Sjukfrånvaro", kolada_kpi="N00090", direction=Direction.LOWER, **kw
    )
    world.result = make_indicator("Årets resultat", kolada_kpi="N03102", **kw)
    world.ghg = make_indicator(
        "Växthusgaser", kolada_kpi="N00401", unit="ton/inv", decimals=2, **kw
    )
    return world


@pytest.fixture
def catalogue(db):
    """The four KPIs of the recorded metadata in the catalogue."""
    catalogue_load(records=recorded_json(KPI_META)["values"])
