"""List endpoints run a fixed number of queries, however many objects a page holds."""

from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.urls import router
from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_strategy,
    make_target,
    make_unit,
)
from followup.models import Action, Assessment, FollowUpOccasion, Measurement, OccasionKind
from scorecards.models import GoalProgramme, Perspective

# Queries for an anonymous caller: the page (no count, see api.pagination), plus what each endpoint
# prefetches or computes.
ANONYMOUS = {
    "units": 1,
    "programmes": 1,
    "perspectives": 1,
    "scorecards": 2,  # + perspectives
    "goals": 2,  # + the visible goals each contributes to
    "goals?period=4": 6,  # + the statuses' version, evaluate_goals: metrics, targets, values
    "strategies": 1,
    "indicators": 1,
    "metrics": 5,  # + the statuses' version, evaluate_goals (none when cached: test_list_rows)
    "metrics?period=4": 5,
    "targets": 1,
    "occasions": 1,
    "periods": 1,
    "values": 3,  # paged by cursor, no count; indicator and unit codes fetched apart
    "assessments": 1,
    "actions": 1,
}
# A reporter's token: the token, and where drafts may show, the roles and the units below them.
PUBLIC = {"units", "programmes", "perspectives", "indicators", "occasions", "periods"}


def grow(world, top, n: int) -> None:
    """``n`` more units, each with an adopted card carrying one of everything."""
    for i in range(n):
        year = 2000 + FollowUpOccasion.objects.count()
        occasion = FollowUpOccasion.objects.create(
            year=year, kind=OccasionKind.TERTIAL, name="T1", end_month=4, deadline=date(year, 5, 1)
        )
        GoalProgramme.objects.create(name=f"P{year}", vision="V", start_year=year, end_year=year)
        Perspective.objects.create(name=f"P{year}", slug=f"p{year}")
        unit = make_unit(f"Enhet {year}", parent=world.unit_a)
        goal = make_goal(make_scorecard(unit), f"Mål {year}")
        goal.contributes_to.add(top)
        make_strategy(goal)
        indicator = make_indicator(f"Mätetal {year}")
        make_target(make_metric(goal, indicator), 10)
        Measurement.objects.create(indicator=indicator, unit=unit, year=2026, month=4, value=i)
        Assessment.objects.create(goal=goal, occasion=occasion, status="met")
        Action.objects.create(goal=goal, title="A", owner="O")


def queries(client, count_queries, endpoint: str) -> int:
    path = endpoint.replace("?", "/?") if "?" in endpoint else f"{endpoint}/"
    result = {}

    def call():
        caches["api-statuses"].clear()  # counted as computed (api.rows caches per page)
        result["response"] = client.get(f"/api/v1/{path}")

    n = count_queries(call)
    assert result["response"].status_code == 200
    return n


@pytest.mark.parametrize("endpoint", sorted(ANONYMOUS))
def test_list_queries_do_not_grow(api, world, chain, count_queries, endpoint):
    anonymous, reporter = api(), api("reporter")
    queries(reporter, count_queries, endpoint)  # the token's first use is recorded once
    grow(world, chain.top, 1)
    few = queries(anonymous, count_queries, endpoint), queries(reporter, count_queries, endpoint)
    grow(world, chain.top, 4)
    many = queries(anonymous, count_queries, endpoint), queries(reporter, count_queries, endpoint)
    extra = 1 if endpoint in PUBLIC else 3
    assert few == many == (ANONYMOUS[endpoint], ANONYMOUS[endpoint] + extra)


LISTS = sorted({prefix for prefix, _viewset, _name in router.registry} | set(ANONYMOUS))


@pytest.mark.parametrize("endpoint", LISTS)
def test_no_list_counts_its_rows(api, world, chain, endpoint):
    """A page reads its rows and one more; no list counts all it could show (issue #16)."""
    grow(world, chain.top, 3)
    path = endpoint.replace("?", "/?") if "?" in endpoint else f"{endpoint}/"
    answered = []
    for client in (api(), api("reporter"), api("admin")):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/{path}")
        if response.status_code == 400:  # a list that needs a filter (economy: a unit and year)
            continue
        assert response.status_code == 200, response.content
        answered.append(response.json())
        counts = [q["sql"] for q in ctx.captured_queries if 'COUNT(*) AS "__count"' in q["sql"]]
        assert counts == []
    assert answered


def test_pages_link_on_without_a_count_until_the_last(api, world, chain):
    """``next`` while a page is full and more follow; ``count`` only on the last page, where it
    is exact; a page past the end answers 404 as before."""
    grow(world, chain.top, 4)
    client = api("admin")
    total = len(client.get("/api/v1/units/?page_size=500").json()["results"])
    assert client.get("/api/v1/units/?page_size=500").json()["count"] == total
    seen, url, bodies = [], "/api/v1/units/?page_size=3", []
    while url:
        body = client.get(url).json()
        bodies.append(body)
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(bodies) == -(-total // 3) and len(seen) == len(set(seen)) == total
    assert [b["count"] for b in bodies] == [None] * (len(bodies) - 1) + [total]
    assert bodies[0]["previous"] is None
    assert "page=" not in bodies[1]["previous"] and "page_size=3" in bodies[1]["previous"]
    if len(bodies) > 2:
        assert "page=2" in bodies[2]["previous"]
    after_last = f"/api/v1/units/?page_size=3&page={len(bodies) + 1}"
    assert client.get(after_last).status_code == 404
