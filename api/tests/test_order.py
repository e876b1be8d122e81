"""The order lists come in: what a reader of the API sees, and what the list indexes serve."""

from core.testing import make_goal, make_indicator, make_metric, make_perspectives, make_scorecard


def _titles(api, url):
    return [row["title"] for row in api().get(url).json()["results"]]


def test_goals_come_newest_year_first_then_scorecard_by_scorecard_in_perspective_order(api, world):
    medborgare, ekonomi = make_perspectives()[:2]
    city_2025 = make_scorecard(world.city, year=2025)
    unit_2026 = make_scorecard(world.unit_b)  # made before the city's: order is not creation's
    city_2026 = make_scorecard(world.city)
    make_goal(city_2025, "stad 2025", perspective=medborgare)
    make_goal(unit_2026, "enhet 2026", perspective=medborgare)
    make_goal(city_2026, "stad 2026 ekonomi 1", perspective=ekonomi, order=1)
    make_goal(city_2026, "stad 2026 ekonomi 0", perspective=ekonomi, order=0)
    make_goal(city_2026, "stad 2026 medborgare", perspective=medborgare, order=5)

    city_first = world.city.pk < world.unit_b.pk
    year_2026 = ["stad 2026 medborgare", "stad 2026 ekonomi 0", "stad 2026 ekonomi 1"]
    year_2026 = year_2026 + ["enhet 2026"] if city_first else ["enhet 2026", *year_2026]
    assert _titles(api, "/api/v1/goals/") == [*year_2026, "stad 2025"]


def test_metrics_come_goal_by_goal_in_their_order(api, world):
    card = make_scorecard(world.city)
    first, second = make_goal(card, "första"), make_goal(card, "andra")
    made = [
        make_metric(second, make_indicator("b0"), order=0),
        make_metric(first, make_indicator("a1"), order=1),
        make_metric(first, make_indicator("a0"), order=0),
    ]
    rows = api().get("/api/v1/metrics/").json()["results"]
    assert [row["id"] for row in rows] == [made[2].pk, made[1].pk, made[0].pk]
