"""Assessing goals through the API: followup.assessments.save_assessment decides, the API answers."""

import pytest
from django.utils import timezone

from followup.models import Assessment, Measurement

URL = "/api/v1/assessments/"


def new(entry, occasions, **extra):
    return {"goal": entry.goal.pk, "occasion": occasions[4].pk, "status": "not_assessed", **extra}


def test_a_reporter_assesses_a_goal(api, world, entry, occasions):
    response = api("reporter").post(
        URL, new(entry, occasions, analysis="Inga värden än."), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["status"], body["status_label"]) == (
        1,
        "not_assessed",
        "Ej bedömt",
    )
    assert Assessment.objects.get().assessed_by == world.reporter


@pytest.mark.parametrize("persona,status", [(None, 401), ("reader", 403), ("editor", 201)])
def test_who_may_assess(api, entry, occasions, persona, status):
    assert api(persona).post(URL, new(entry, occasions), format="json").status_code == status


def test_a_hidden_goal_does_not_exist(api, occasions, draft):
    payload = {"goal": draft.goal.pk, "occasion": occasions[4].pk, "status": "not_assessed"}
    response = api("reporter").post(URL, payload, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"pointer": "#/goal", "detail": "Målet finns inte."}]


def test_departing_from_the_suggestion_needs_a_comment(api, world, entry, occasions):
    Measurement.objects.create(
        indicator=entry.monthly, unit=world.unit_a, year=2026, month=4, value=150
    )
    response = api("reporter").post(URL, new(entry, occasions, status="not_met"), format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/deviation_comment"


def test_a_stale_version_answers_409_with_what_was_saved(api, entry, occasions):
    client = api("reporter")
    pk = client.post(URL, new(entry, occasions, analysis="Först"), format="json").json()["id"]
    first = client.patch(f"{URL}{pk}/", {"analysis": "Andra", "version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    late = client.put(
        f"{URL}{pk}/", {"status": "not_assessed", "analysis": "Tredje", "version": 1}, format="json"
    )
    assert late.status_code == 409
    assert late.json()["current"]["analysis"] == "Andra"
    assert Assessment.objects.get().analysis == "Andra"


def test_a_second_new_assessment_is_a_conflict(api, entry, occasions):
    client = api("reporter")
    client.post(URL, new(entry, occasions), format="json")
    assert client.post(URL, new(entry, occasions), format="json").status_code == 409


def test_a_locked_occasion_answers_409_with_the_reason(api, entry, occasions):
    occasions[4].locked_at = timezone.now()
    occasions[4].save()
    response = api("reporter").post(URL, new(entry, occasions), format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "urn:styrkort:problem:period-locked"
    assert "är låst" in body["detail"]


def test_patch_needs_a_version(api, entry, occasions):
    client = api("reporter")
    pk = client.post(URL, new(entry, occasions), format="json").json()["id"]
    response = client.patch(f"{URL}{pk}/", {"analysis": "x"}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/version"


def test_a_reader_may_not_change_an_assessment(api, entry, occasions):
    pk = api("reporter").post(URL, new(entry, occasions), format="json").json()["id"]
    response = api("reader").patch(f"{URL}{pk}/", {"analysis": "x", "version": 1}, format="json")
    assert response.status_code == 403


def test_filters_by_year_and_period(api, entry, occasions):
    api("reporter").post(URL, new(entry, occasions), format="json")
    client = api()
    assert client.get(f"{URL}?year=2026&period=4").json()["count"] == 1
    assert client.get(f"{URL}?year=2026&period=8").json()["count"] == 0
    assert client.get(f"{URL}?unit={entry.card.unit.code}").json()["count"] == 1
