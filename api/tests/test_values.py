"""Writing values: one at a time or many at once, all through followup.entry.measurements_save."""

from decimal import Decimal

import pytest
from django.utils import timezone

from followup.models import Measurement

BULK = "/api/v1/values/bulk/"


def bulk(entry, rows, *, unit=None, month=3):
    return {"unit": unit or entry.card.unit.code, "year": 2026, "month": month, "rows": rows}


def stored(entry, indicator, month=3):
    return Measurement.objects.filter(
        indicator=indicator, unit=entry.card.unit, year=2026, month=month
    ).first()


def test_a_reporter_saves_many_values_at_once(api, entry):
    rows = [
        {"indicator": entry.monthly.pk, "value": "150.5", "comment": "Mild vinter"},
        {"indicator": entry.waste.pk, "value": 12},
    ]
    response = api("reporter").post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 2
    assert {v["indicator"] for v in response.json()["values"]} == {entry.monthly.pk, entry.waste.pk}
    value = stored(entry, entry.monthly)
    assert (value.value, value.comment, value.source) == (Decimal("150.5"), "Mild vinter", "api")


def test_the_unit_may_be_named_by_id(api, entry):
    rows = [{"indicator": entry.monthly.pk, "value": "150"}]
    response = api("editor").post(BULK, bulk(entry, rows, unit=entry.card.unit.pk), format="json")
    assert response.status_code == 200


def test_one_bad_row_saves_nothing_and_lists_the_row(api, entry):
    rows = [
        {"indicator": entry.monthly.pk, "value": "150"},
        {"indicator": entry.waste.pk, "value": "12"},
        {"indicator": entry.monthly.pk + 999, "value": "1"},
    ]
    response = api("reporter").post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "urn:styrkort:problem:validation"
    assert body["errors"] == [
        {
            "pointer": "#/rows/2/indicator",
            "row": 2,
            "indicator": entry.monthly.pk + 999,
            "detail": "Mätetalet finns inte i styrkortet.",
            "code": "unknown_indicator",
        }
    ]
    assert "Inget har sparats" in body["detail"]
    assert not Measurement.objects.filter(unit=entry.card.unit).exists()


def test_an_implausible_value_is_refused(api, entry):
    rows = [{"indicator": entry.monthly.pk, "value": "9999"}]
    response = api("reporter").post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "implausible"


def test_a_badly_shaped_row_is_refused_before_anything_else(api, entry):
    rows = [{"indicator": entry.monthly.pk, "value": "ett tal"}, {"value": "1"}]
    response = api("reporter").post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == 400
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert pointers == {"#/rows/0/value", "#/rows/1/indicator"}


def test_a_value_not_due_in_the_month_is_refused(api, entry):
    rows = [{"indicator": entry.yearly.pk, "value": "1"}]
    response = api("reporter").post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_due"


def test_a_locked_period_is_refused_with_the_reason(api, entry, occasions):
    occasions[4].locked_at = timezone.now()
    occasions[4].save()
    rows = [{"indicator": entry.monthly.pk, "value": "150"}]
    response = api("reporter").post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "urn:styrkort:problem:period-locked"
    assert "2026-03 är låst" in body["detail"]
    assert body["errors"][0]["code"] == "locked"
    assert stored(entry, entry.monthly) is None


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(api, entry):
    client = api("reporter")
    rows = [{"indicator": entry.monthly.pk, "value": "150", "version": 0}]
    assert client.post(BULK, bulk(entry, rows), format="json").status_code == 200
    rows = [{"indicator": entry.monthly.pk, "value": "140", "version": 0}]
    response = client.post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == 409
    assert response.json()["type"] == "urn:styrkort:problem:conflict"
    assert response.json()["errors"][0]["code"] == "conflict"
    assert stored(entry, entry.monthly).value == 150


def test_null_removes_a_stored_value(api, entry):
    client = api("reporter")
    client.post(BULK, bulk(entry, [{"indicator": entry.monthly.pk, "value": "150"}]), format="json")
    response = client.post(
        BULK, bulk(entry, [{"indicator": entry.monthly.pk, "value": None}]), format="json"
    )
    assert response.json()["deleted"] == 1
    assert stored(entry, entry.monthly) is None


def test_duplicate_rows_are_refused(api, entry):
    row = {"indicator": entry.monthly.pk, "value": "1"}
    response = api("reporter").post(BULK, bulk(entry, [row, row]), format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/rows"


def test_a_unit_without_a_scorecard_that_year_is_refused(api, entry):
    payload = {**bulk(entry, [{"indicator": entry.monthly.pk, "value": "1"}]), "year": 2030}
    response = api("reporter").post(BULK, payload, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/year"


@pytest.mark.parametrize(
    "persona,status", [(None, 401), ("reader", 403), ("admin", 200), ("editor", 200)]
)
def test_only_reporters_and_above_write_values(api, entry, persona, status):
    rows = [{"indicator": entry.monthly.pk, "value": "150"}]
    response = api(persona).post(BULK, bulk(entry, rows), format="json")
    assert response.status_code == status
    assert (stored(entry, entry.monthly) is not None) == (status == 200)


def test_a_reporter_of_another_unit_is_refused(api, world, entry):
    from core.testing import make_scorecard

    card = make_scorecard(world.unit_b)
    payload = {"unit": card.unit.code, "year": 2026, "month": 3, "rows": []}
    payload["rows"] = [{"indicator": entry.monthly.pk, "value": "1"}]
    assert api("reporter").post(BULK, payload, format="json").status_code == 403


# --- one value --------------------------------------------------------------------------------


def single(entry, **extra):
    return {
        "unit": entry.card.unit.code,
        "indicator": entry.monthly.pk,
        "year": 2026,
        "month": 3,
        "value": "150",
        **extra,
    }


def test_posting_one_value_creates_then_updates_it(api, entry):
    client = api("reporter")
    created = client.post("/api/v1/values/", single(entry), format="json")
    assert created.status_code == 201
    assert created.json()["version"] == 1 and created.json()["source"] == "api"
    updated = client.post("/api/v1/values/", single(entry, value="140", version=1), format="json")
    assert updated.status_code == 200
    assert (updated.json()["id"], updated.json()["version"]) == (created.json()["id"], 2)


def test_one_value_with_a_stale_version_answers_409_with_the_current_value(api, entry):
    client = api("reporter")
    client.post("/api/v1/values/", single(entry), format="json")
    response = client.post("/api/v1/values/", single(entry, value="1", version=0), format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "urn:styrkort:problem:conflict"
    assert body["current"]["value"] == "150.0000"


def test_one_value_in_a_locked_period_answers_409_with_the_reason(api, entry, occasions):
    occasions[4].locked_at = timezone.now()
    occasions[4].save()
    response = api("reporter").post("/api/v1/values/", single(entry), format="json")
    assert response.status_code == 409
    assert response.json()["title"] == "Perioden är låst"


def test_filters_by_unit_year_and_period(api, entry):
    client = api("reporter")
    for month in (1, 2, 3):
        client.post("/api/v1/values/", single(entry, month=month), format="json")
    unit = entry.card.unit
    for query, count in [
        (f"unit={unit.code}&year=2026&period=2", 1),
        (f"unit={unit.pk}&year=2026", 3),
        ("year=2025", 0),
    ]:
        assert len(client.get(f"/api/v1/values/?{query}").json()["results"]) == count, query


def test_values_page_by_cursor_without_gaps_or_repeats(api, entry):
    client = api("reporter")
    for month in range(1, 13):
        client.post("/api/v1/values/", single(entry, month=month), format="json")
    seen, url = [], "/api/v1/values/?page_size=5"
    while url:
        body = client.get(url).json()
        assert "count" not in body  # counting millions of values is what the cursor avoids
        seen += [row["month"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == list(range(1, 13))
    assert len(seen) == 12
