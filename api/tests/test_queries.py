"""List endpoints run a fixed number of queries, however many objects a page holds."""

from datetime import date

import pytest

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

# Queries for an anonymous caller: count + page, plus what each endpoint prefetches or computes.
ANONYMOUS = {
    "units": 2,
    "programmes": 2,
    "perspectives": 2,
    "scorecards": 3,  # + perspectives
    "goals": 3,  # + the visible goals each contributes to
    "goals?period=4": 6,  # + evaluate_goals: metrics, targets, values
    "strategies": 2,
    "indicators": 2,
    "metrics": 5,  # + evaluate_goals
    "metrics?period=4": 5,
    "targets": 2,
    "occasions": 2,
    "periods": 2,
    "values": 3,  # paged by cursor, no count; indicator and unit codes fetched apart
    "assessments": 2,
    "actions": 2,
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
