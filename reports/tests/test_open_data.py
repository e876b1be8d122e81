"""Open data: adopted and archived scorecards as CSV and JSON, for anyone, with a licence."""

import csv
import io
import json

from django.test import override_settings
from django.urls import reverse

from core.testing import make_goal, make_metric, make_scorecard, make_unit
from followup.models import Measurement
from reports.opendata import COLUMNS
from scorecards.models import ScorecardStatus


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def open_csv(client) -> list[dict]:
    response = client.get(reverse("open_data_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response))))


def open_json(client) -> dict:
    response = client.get(reverse("open_data_json"))
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def test_the_page_describes_the_datasets_and_the_licence(client, chain):
    text = client.get(reverse("open_data")).content.decode()
    assert reverse("open_data_csv") in text and reverse("open_data_json") in text
    assert "CC0 1.0 Universell" in text and 'rel="license"' in text
    assert "<code>indikator_kod</code>" in text


def test_csv_has_a_row_per_metric_with_stable_ids_and_no_drafts(client, chain):
    rows = open_csv(client)
    assert list(rows[0]) == [name for name, _help in COLUMNS]
    assert "Hemligt utkast i Skola" not in {r["mal"] for r in rows}
    [energy] = [r for r in rows if r["indikator_kod"] == chain.energy.code]
    assert energy["styrkort_id"] == str(chain.city.pk)
    assert energy["enhet_kod"] == chain.city.unit.code and energy["mal_id"] == str(chain.top.pk)
    assert (energy["malvarde_jamforelse"], energy["malvarde"], energy["malvarde_tolerans"]) == (
        "lte", "160", "5",
    )  # fmt: skip
    assert (energy["utfall"], energy["status"], energy["utfall_03"]) == ("150", "met", "150")
    mid = next(r for r in rows if r["mal_id"] == str(chain.mid.pk))
    assert mid["mal_bidrar_till"] == str(chain.top.pk) and mid["matetal_id"] == ""


def test_json_nests_goals_metrics_targets_and_values(client, chain):
    data = open_json(client)
    assert data["licens"]["id"] == "CC0-1.0" and data["utgivare"]
    cards = {c["id"]: c for c in data["styrkort"]}
    assert chain.draft.scorecard_id not in cards
    [goal] = cards[chain.city.pk]["mal"]
    assert goal["bidrar_till"] == [] and goal["status"] == "met"
    [metric] = goal["matetal"]
    assert metric["indikator"]["kod"] == chain.energy.code
    assert metric["malvarde"]["varde"] == 160 and metric["malvarde"]["text"] == "max 160,0 kWh/m²"
    assert metric["varden"] == [{"manad": 3, "varde": 150}]
    # The draft's goal contributes to the city goal, but it is not public.
    assert [g["bidrar_till"] for g in cards[chain.mid.scorecard_id]["mal"]] == [[chain.top.pk]]


@override_settings(OPEN_DATA_LICENCE="CC-BY-4.0")
def test_the_licence_is_a_setting(client, chain):
    assert open_json(client)["licens"]["url"].startswith(
        "https://creativecommons.org/licenses/by/4.0"
    )
    assert 'rel="license"' in client.get(reverse("open_data_csv"))["Link"]


def test_it_needs_no_sign_in_and_may_be_read_from_other_sites(client, chain):
    response = client.get(reverse("open_data_json"))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"


def test_a_fixed_number_of_queries_however_many_scorecards(client, world, chain, count_queries):
    def run():
        body(client.get(reverse("open_data_csv")))

    before = count_queries(run)
    for i in range(4):
        card = make_scorecard(make_unit(f"Enhet {i}", parent=world.unit_b))
        goal = make_goal(card, f"Mål {i}")
        make_metric(goal, chain.energy)
        Measurement.objects.create(
            indicator=chain.energy, unit=card.unit, year=2026, month=3, value=i
        )
    assert count_queries(run) == before
    archived = make_scorecard(world.unit_b, year=2025, status=ScorecardStatus.ARCHIVED)
    make_metric(make_goal(archived, "Förra året"), chain.energy)
    # another year: one more evaluation and its forecasts (followup.trend_arrows), no more
    assert count_queries(run) <= before + 5


def test_the_latest_forecast_is_published_apart_from_the_values(client, world, chain):
    from followup.models import Forecast

    Forecast.objects.create(indicator=chain.energy, unit=world.city, year=2026, month=8, value=140)
    import csv

    head, *lines = list(csv.reader(body(client.get(reverse("open_data_csv"))).splitlines()))
    row = next(line for line in lines if "Energianvändning i kommunala lokaler" in line)
    assert row[head.index("prognos_helar")] == "140"
    assert row[head.index("utfall")] == "150"  # the value stays the value
