"""Targets of an adopted scorecard through the API: a change needs a reason and is marked
"ändrat efter beslut" (who, when, why) exactly as the target page marks it."""

import pytest

from scorecards.models import ChangeAfterAdoption, ScorecardStatus, Target

URL = "/api/v1/targets/"


def new(entry, **extra):
    return {"metric": entry.metric.pk, "year": 2027, "comparator": "lte", "value": "150", **extra}


def stored(entry) -> Target:
    return Target.objects.get(metric=entry.metric, year=2026)


def test_a_new_target_without_a_reason_is_refused_and_names_the_field(api, entry):
    response = api("editor").post(URL, new(entry), format="json")
    assert response.status_code == 422, response.json()
    (error,) = response.json()["errors"]
    assert error["pointer"] == "#/reason"
    assert "skäl" in error["detail"] and "fastställt" in error["detail"]
    assert not Target.objects.filter(year=2027).exists()
    assert not ChangeAfterAdoption.objects.exists()


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_change_without_a_reason_changes_nothing(api, entry, reason):
    body = {"tolerance": "3"} if reason is None else {"tolerance": "3", "reason": reason}
    response = api("editor").patch(f"{URL}{stored(entry).pk}/", body, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/reason"
    assert stored(entry).tolerance == 5
    assert not ChangeAfterAdoption.objects.exists()


def test_a_reason_that_is_not_text_breaks_the_schema(api, entry):
    response = api("editor").patch(f"{URL}{stored(entry).pk}/", {"reason": 5}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/reason"


def test_a_change_with_a_reason_is_marked_with_who_when_and_why(api, entry, world):
    target = stored(entry)
    body = {"value": "140", "reason": "  Nämnden skärpte målet i juni  "}
    url = f"{URL}{target.pk}/"
    response = api("editor").put(url, {"comparator": "lte", **body}, format="json")
    assert response.status_code == 200, response.json()
    assert "reason" not in response.json()  # write-only: not part of the target
    mark = ChangeAfterAdoption.objects.get()
    assert (mark.scorecard, mark.goal, mark.kind, mark.object_id) == (
        entry.card,
        entry.metric.goal,
        "target",
        target.pk,
    )
    assert (mark.by, mark.reason) == (world.editor, "Nämnden skärpte målet i juni")
    assert mark.what == "Målvärde 2026 för Energi: max 160,0 % → max 140,0 %"
    assert stored(entry).history.first().history_change_reason == "Nämnden skärpte målet i juni"


def test_a_new_target_with_a_reason_is_marked(api, entry):
    response = api("editor").post(URL, new(entry, reason="Nytt år"), format="json")
    assert response.status_code == 201, response.json()
    mark = ChangeAfterAdoption.objects.get()
    assert (mark.object_id, mark.reason) == (response.json()["id"], "Nytt år")
    assert mark.what.startswith("Målvärde 2027 för Energi: ")


@pytest.mark.parametrize("card_status", [ScorecardStatus.DRAFT, ScorecardStatus.ARCHIVED])
def test_a_scorecard_not_adopted_needs_no_reason_and_gets_no_mark(api, entry, card_status):
    entry.card.status = card_status
    entry.card.save()
    response = api("editor").patch(f"{URL}{stored(entry).pk}/", {"tolerance": "3"}, format="json")
    assert response.status_code == 200, response.json()
    assert not ChangeAfterAdoption.objects.exists()


def test_a_reader_hears_403_before_any_reason_is_asked_for(api, entry):
    assert api("reader").post(URL, new(entry), format="json").status_code == 403
    target = stored(entry)
    assert api("reader").patch(f"{URL}{target.pk}/", {}, format="json").status_code == 403


def test_the_schema_describes_the_write_only_reason(api):
    schema = api().get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    for name in ("TargetCreateRequest", "PatchedTargetUpdateRequest", "TargetUpdateRequest"):
        reason = schema[name]["properties"]["reason"]
        assert reason["type"] == "string" and "fastställt" in reason["description"], name
        assert "reason" not in schema[name].get("required", [])
    assert "reason" not in schema["Target"]["properties"]
