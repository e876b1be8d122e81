"""Forecasts through the API: the values' write path, its lock and version guard (409)."""

from decimal import Decimal

from django.utils import timezone

from followup.models import Forecast

URL = "/api/v1/forecasts/"


def one(entry, **extra):
    return {
        "unit": entry.card.unit.code,
        "indicator": entry.yearly.pk,  # a yearly indicator takes a forecast at any occasion
        "year": 2026,
        "month": 8,
        "value": "1500",
        **extra,
    }


def test_a_forecast_is_written_read_and_updated(api, entry):
    client = api("reporter")
    created = client.post(URL, one(entry, comment="Höstens tillsyn"), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["month"] == 8 and created.json()["source"] == "api"
    updated = client.post(URL, one(entry, value="1400", version=1), format="json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    listed = client.get(URL, {"unit": entry.card.unit.code}).json()["results"]
    assert [f["value"] for f in listed] == ["1400.0000"]
    assert Forecast.objects.get().value == Decimal(1400)


def test_a_stale_version_answers_409_with_the_stored_forecast(api, entry):
    client = api("reporter")
    client.post(URL, one(entry), format="json")
    response = client.post(URL, one(entry, value="1", version=0), format="json")
    assert response.status_code == 409
    assert response.json()["current"]["value"] == "1500.0000"
    assert Forecast.objects.get().value == 1500


def test_a_locked_occasion_answers_409(api, entry, occasions):
    occasions[8].locked_at = timezone.now()
    occasions[8].save()
    response = api("reporter").post(f"{URL}bulk/", {
        "unit": entry.card.unit.code, "year": 2026, "month": 8,
        "rows": [{"indicator": entry.monthly.pk, "value": "1800"}],
    }, format="json")  # fmt: skip
    assert response.status_code == 409
    assert response.json()["type"] == "urn:styrkort:problem:period-locked"
    assert not Forecast.objects.exists()


def test_a_reader_cannot_write_forecasts(api, entry):
    assert api("reader").post(URL, one(entry), format="json").status_code == 403
    assert not Forecast.objects.exists()
