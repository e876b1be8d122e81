"""Every endpoint for every persona: public objects for all, a draft's only for its readers.

The draft scorecard is in Skola (unit B): its reader and the administrator see it and everything
on it; anonymous callers, and the editor, reporter and administrator of Miljö (unit A), get 404 for
each object, exactly as for an object that does not exist, and never find them in lists.
"""

import pytest

from .conftest import PERSONAS

SEES_DRAFT = {
    None: False,
    "admin": True,
    "editor": False,
    "reporter": False,
    "reader": True,
    "subadmin": False,  # an administrator of unit A administers A's subtree only
}
HIDDEN = [
    ("scorecards", "card"),
    ("goals", "goal"),
    ("strategies", "strategy"),
    ("metrics", "metric"),
    ("targets", "target"),
    ("values", "value"),
    ("assessments", "assessment"),
    ("actions", "action"),
]
PUBLIC = ["units", "programmes", "perspectives", "indicators", "occasions", "periods"]


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint,name", HIDDEN)
def test_draft_objects_are_seen_only_by_those_with_a_role(
    api, chain, draft, persona, endpoint, name
):
    client = api(persona)
    pk = getattr(draft, name).pk
    detail = client.get(f"/api/v1/{endpoint}/{pk}/")
    assert detail.status_code == (200 if SEES_DRAFT[persona] else 404)
    assert (pk in _ids(client.get(f"/api/v1/{endpoint}/"))) == SEES_DRAFT[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_adopted_scorecards_and_what_hangs_on_them_are_public(api, chain, draft, persona):
    client = api(persona)
    assert chain.city.pk in _ids(client.get("/api/v1/scorecards/"))
    assert chain.top.pk in _ids(client.get("/api/v1/goals/"))
    assert chain.metric.pk in _ids(client.get("/api/v1/metrics/"))
    assert client.get(f"/api/v1/goals/{chain.top.pk}/").status_code == 200
    assert len(_ids(client.get(f"/api/v1/values/?indicator={chain.energy.pk}"))) == 1


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", PUBLIC)
def test_shared_definitions_are_public(api, chain, draft, persona, endpoint):
    response = api(persona).get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    first = response.json()["results"][0]["id"]
    assert api(persona).get(f"/api/v1/{endpoint}/{first}/").status_code == 200


def test_the_goal_chain_never_points_to_a_hidden_goal(api, world, chain):
    from core.testing import make_goal, make_scorecard
    from scorecards.models import ScorecardStatus

    # A draft at the top of the tree that a public goal further down already contributes to.
    draft_goal = make_goal(make_scorecard(world.city, year=2027, status=ScorecardStatus.DRAFT))
    low = make_goal(make_scorecard(world.unit_a1, year=2027), "Energienheten 2027")
    low.contributes_to.add(draft_goal)
    assert api().get(f"/api/v1/goals/{low.pk}/").json()["contributes_to"] == []
    assert api("admin").get(f"/api/v1/goals/{low.pk}/").json()["contributes_to"] == [draft_goal.pk]


def test_a_reader_sees_values_of_their_units_not_on_any_scorecard(api, world, draft):
    from core.testing import make_indicator
    from followup.models import Measurement

    staff = make_indicator("Antal anställda", code="anstallda")
    value = Measurement.objects.create(
        indicator=staff, unit=world.unit_b, year=2026, month=12, value=9
    )
    assert value.pk in _ids(api("reader").get("/api/v1/values/"))
    assert value.pk not in _ids(api("editor").get("/api/v1/values/"))
    assert value.pk not in _ids(api().get("/api/v1/values/"))


def test_a_subtree_administrator_writes_in_their_subtree_only(api, world, entry):
    """Unit A's administrator reports for A; for unit B the API refuses and saves nothing."""
    from core.testing import make_scorecard
    from followup.models import Measurement

    client = api("subadmin")
    rows = [{"indicator": entry.monthly.pk, "value": "150"}]
    own = {"unit": world.unit_a.code, "year": 2026, "month": 3, "rows": rows}
    assert client.post("/api/v1/values/bulk/", own, format="json").status_code == 200
    make_scorecard(world.unit_b)
    other = {**own, "unit": world.unit_b.code}
    assert client.post("/api/v1/values/bulk/", other, format="json").status_code == 403
    assert not Measurement.objects.filter(unit=world.unit_b).exists()
