"""The value-entry page keeps its statuses until a change is recorded for its scorecard (#16):
a warm page runs a fixed number of queries, and every write the statuses read shows on the next
page — also one that leaves every stored status as it was."""

import re

import pytest
from django.urls import reverse

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
    make_unit,
)
from followup.models import GoalStatus, Measurement
from scorecards.models import Aggregation, Comparator, Frequency

# The warm page: session, user, scorecard with its unit, the statuses' version, due metrics,
# their targets, the two years' values, forecasts with last year's values, the locks.
WARM_QUERIES = 12


@pytest.fixture
def card(world):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning")
    for name, freq in [("Energi", Frequency.MONTHLY), ("Årsmått", Frequency.YEARLY)]:
        ind = make_indicator(name, frequency=freq, plausible_min=0, plausible_max=500)
        make_target(make_metric(goal, ind), 160, comparator=Comparator.LTE, tolerance=5)
    return card


def page(client, card, period="2026-03") -> str:
    return client.get(reverse("value_entry", args=[card.pk]) + f"?period={period}").content.decode()


def year_to_date(html: str) -> list[str]:
    """The figures in the "Status hittills i år" column, in row order."""
    return re.findall(r'<br><span class="kind">([^<(]+) \(', html)


def stored_statuses(card) -> dict:
    return dict(GoalStatus.objects.filter(goal__scorecard=card).values_list("goal_id", "status"))


def test_a_warm_page_runs_a_fixed_number_of_queries(client, world, card, count_queries):
    energy = card.goals.get().metrics.get(indicator__name="Energi").indicator
    Measurement.objects.create(indicator=energy, unit=card.unit, year=2026, month=3, value=120)
    client.force_login(world.reporter)
    cold = count_queries(lambda: page(client, card))
    assert count_queries(lambda: page(client, card)) == WARM_QUERIES < cold


def test_a_value_that_moves_no_status_shows_on_the_next_page(client, world, card):
    energy = card.goals.get().metrics.get(indicator__name="Energi").indicator
    value = Measurement.objects.create(
        indicator=energy, unit=card.unit, year=2026, month=3, value=120
    )
    client.force_login(world.reporter)
    assert year_to_date(page(client, card)) == ["120,0"]
    before = stored_statuses(card)
    value.value = 130  # still within the target (max 160): no stored status moves
    value.save()
    assert stored_statuses(card) == before
    assert year_to_date(page(client, card)) == ["130,0"]


def test_a_value_saved_on_the_page_shows_its_figures_at_once(client, world, card):
    energy = card.goals.get().metrics.get(indicator__name="Energi").indicator
    client.force_login(world.reporter)
    page(client, card)
    url = reverse("value_entry", args=[card.pk]) + "?period=2026-03"
    client.post(url, {f"v-{energy.pk}": "110"})
    before = stored_statuses(card)
    response = client.post(url, {f"v-{energy.pk}": "111", f"ver-{energy.pk}": "1"})
    assert response.status_code == 302
    assert stored_statuses(card) == before
    assert year_to_date(page(client, card)) == ["111,0"]


def test_last_years_value_shows_where_this_year_has_none(client, world, card):
    """A yearly metric shows last year's figure until its own arrives ("helår 2025")."""
    yearly = card.goals.get().metrics.get(indicator__name="Årsmått").indicator
    client.force_login(world.reporter)
    assert "helår 2025" not in page(client, card, "2026-12")
    Measurement.objects.create(indicator=yearly, unit=card.unit, year=2025, month=12, value=140)
    html = page(client, card, "2026-12")
    assert "helår 2025" in html and "140,0" in year_to_date(html)


def test_a_value_below_moves_the_computed_figure(client, world, card):
    total = make_indicator("Besökare", frequency=Frequency.MONTHLY, aggregation=Aggregation.SUM)
    make_metric(card.goals.get(), total)
    second = make_unit("Andra enheten", parent=world.unit_a)
    Measurement.objects.create(indicator=total, unit=world.unit_a1, year=2026, month=3, value=10)
    below = Measurement.objects.create(indicator=total, unit=second, year=2026, month=3, value=32)
    client.force_login(world.reporter)
    assert "Beräknat: 42,0" in page(client, card)
    below.value = 40
    below.save()
    assert "Beräknat: 50,0" in page(client, card)


def test_a_changed_target_shows_on_the_next_page(client, world, card):
    from scorecards.models import YearValue

    energy = card.goals.get().metrics.get(indicator__name="Energi").indicator
    energy.year_value = YearValue.SUM
    energy.save()
    Measurement.objects.create(indicator=energy, unit=card.unit, year=2026, month=1, value=5)
    client.force_login(world.reporter)
    assert "målvärde t.o.m. januari: max 13,3" in page(client, card)  # 1/12 of 160
    target = energy.metrics.get().targets.get()
    target.value = 120
    target.save()
    assert "målvärde t.o.m. januari: max 10,0" in page(client, card)
