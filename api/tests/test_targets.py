"""Targets through the API: editors create and change them, with Target.clean's rules."""

import pytest

from scorecards.models import Target

URL = "/api/v1/targets/"


def new(entry, **extra):
    return {"metric": entry.metric.pk, "year": 2027, "comparator": "lte", "value": "150", **extra}


def test_an_editor_creates_a_target_with_its_decision(api, entry):
    payload = new(
        entry,
        decided_by="Miljönämnden",
        paragraph="12",
        decided_on="2026-11-20",
        reason="Nämnden satte målet för 2027",
    )
    response = api("editor").post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["label"] == "max 150,0 %"
    assert Target.objects.get(year=2027).history.first().history_user.username == "editor"


@pytest.mark.parametrize("persona,status", [(None, 401), ("reporter", 403), ("reader", 403)])
def test_only_editors_set_targets(api, entry, persona, status):
    assert api(persona).post(URL, new(entry), format="json").status_code == status


def test_a_range_needs_an_upper_bound(api, entry):
    response = api("editor").post(URL, new(entry, comparator="range"), format="json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["pointer"], error["detail"]) == (
        "#/value_high",
        "Ett intervall behöver en övre gräns.",
    )


def test_one_target_per_metric_and_year(api, entry):
    response = api("editor").post(URL, new(entry, year=2026), format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["pointer"] == "#/year"


def test_an_editor_changes_a_target(api, entry):
    target = Target.objects.get(metric=entry.metric, year=2026)
    body = {"tolerance": "3", "reason": "Mätmetoden ändrades"}
    response = api("editor").patch(f"{URL}{target.pk}/", body, format="json")
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.tolerance == 3


def test_a_change_is_checked_against_what_is_stored(api, entry):
    target = Target.objects.get(metric=entry.metric, year=2026)
    response = api("editor").patch(f"{URL}{target.pk}/", {"value_high": "200"}, format="json")
    assert response.status_code == 422  # an upper bound only belongs to a range


def test_a_hidden_target_answers_404(api, draft):
    assert (
        api("editor").patch(f"{URL}{draft.target.pk}/", {"value": "1"}, format="json").status_code
        == 404
    )
