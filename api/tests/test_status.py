"""Goals and metrics carry their computed status, from followup.evaluation and the stored roll-up."""

from followup.models import Measurement


def test_a_metric_shows_its_value_against_the_target(api, chain):
    result = api().get(f"/api/v1/metrics/{chain.metric.pk}/").json()["result"]
    assert result == {
        "month": None,
        "year": 2026,
        "value": "150.0000",
        "status": "met",
        "label": "Uppfyllt",
        "target": chain.metric.targets.get().pk,
        "covers": "utfall t.o.m. mars 2026",
        "target_so_far": "",
    }


def test_a_month_limits_the_values_counted(api, chain):
    result = api().get(f"/api/v1/metrics/{chain.metric.pk}/?period=2").json()["result"]
    assert (result["month"], result["value"], result["status"]) == (2, None, "no_value")


def test_a_goal_shows_its_suggested_status(api, world, chain):
    Measurement.objects.create(
        indicator=chain.energy, unit=world.city, year=2026, month=6, value=170
    )
    assert api().get(f"/api/v1/goals/{chain.top.pk}/").json()["result"]["status"] == "not_met"
    by_march = api().get(f"/api/v1/goals/{chain.top.pk}/?period=3").json()["result"]
    assert by_march == {"month": 3, "status": "met", "label": "Uppfyllt"}
