"""Improvement actions: reporters create and change them; the goal's strategies and metrics only."""

from datetime import date

import pytest

from core.testing import make_goal, make_strategy
from followup.models import Action

URL = "/api/v1/actions/"


def new(entry, **extra):
    return {"goal": entry.goal.pk, "title": "Byt belysning", "owner": "Fastighet", **extra}


def test_a_reporter_creates_an_action(api, entry):
    payload = new(entry, strategy=entry.strategy.pk, metric=entry.metric.pk, due_date="2999-06-30")
    response = api("reporter").post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["strategy"], body["is_overdue"]) == (
        "planned",
        entry.strategy.pk,
        False,
    )
    assert Action.objects.get().history.first().history_user.username == "reporter"


@pytest.mark.parametrize("persona,status", [(None, 401), ("reader", 403), ("admin", 201)])
def test_who_may_create_actions(api, entry, persona, status):
    assert api(persona).post(URL, new(entry), format="json").status_code == status


def test_a_strategy_of_another_goal_is_refused(api, entry):
    other = make_strategy(make_goal(entry.card, "Annat mål"))
    response = api("reporter").post(URL, new(entry, strategy=other.pk), format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/strategy"


def test_the_due_date_may_not_precede_the_start(api, entry):
    payload = new(entry, start_date="2026-05-01", due_date="2026-04-01")
    response = api("reporter").post(URL, payload, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["detail"] == "Slutdatumet kan inte vara före startdatumet."


def test_a_reporter_updates_the_state(api, entry):
    client = api("reporter")
    pk = client.post(URL, new(entry), format="json").json()["id"]
    response = client.patch(
        f"{URL}{pk}/", {"state": "ongoing", "progress": "Halvvägs"}, format="json"
    )
    assert response.status_code == 200
    assert Action.objects.get(pk=pk).state == "ongoing"


def test_a_hidden_action_cannot_be_changed(api, draft):
    response = api("editor").patch(f"{URL}{draft.action.pk}/", {"state": "done"}, format="json")
    assert response.status_code == 404


def test_overdue_actions_are_flagged_and_filterable(api, entry):
    Action.objects.create(goal=entry.goal, title="Sen", owner="X", due_date=date(2000, 1, 1))
    Action.objects.create(goal=entry.goal, title="I tid", owner="X", due_date=date(2999, 1, 1))
    rows = api().get(f"{URL}?overdue=true").json()["results"]
    assert [(r["title"], r["is_overdue"]) for r in rows] == [("Sen", True)]
