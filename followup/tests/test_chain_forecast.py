"""The goal-chain page shows the forecast roll-up of the contributing goals at the latest occasion
that has forecasts, the owners' forecast assessments counted first, in words and icons."""

from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.testing import make_goal, make_metric, make_scorecard, make_target
from followup.forecasts import (
    chain_forecast_rollup,
    forecast_rollup,
    goal_forecasts,
    save_forecast_assessment,
)
from followup.models import Assessment, FollowUpOccasion
from followup.templatetags.forecast_chain import latest_forecast_occasion
from followup.tests.test_forecasts import card, occasion, save, visits  # noqa: F401 - fixtures
from scorecards.models import Comparator, Goal


def _chain(world, card, occasion):  # noqa: F811
    city_goal = make_goal(make_scorecard(world.city), "Stadens mål")
    card.first_goal = card.goals.get()
    card.first_goal.contributes_to.add(city_goal)
    assert save(world, card, occasion, "900").ok  # "Fler besökare": not met by its forecast
    other = make_goal(card, "Annat mål")
    other.contributes_to.add(city_goal)
    return city_goal, other


def test_no_forecast_no_section(world, card, occasion):  # noqa: F811
    city_goal = make_goal(make_scorecard(world.city), "Stadens mål")
    card.goals.get().contributes_to.add(city_goal)
    page = Client().get(reverse("goal_chain", args=[city_goal.pk])).content.decode()
    assert "Prognos för bidragande mål" not in page


def test_the_chain_page_counts_forecasts_owners_first(world, card, occasion):  # noqa: F811
    city_goal, other = _chain(world, card, occasion)
    earlier = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline="2026-05-15"
    )
    save_forecast_assessment(
        goal=other, occasion=occasion, user=world.reporter, status="met", comment="", version=0
    )
    goal_ids = [card.first_goal.pk, other.pk]
    assert latest_forecast_occasion(goal_ids, [world.unit_a.pk], 2026) == occasion
    assert latest_forecast_occasion([], [world.city.pk], 2026) is None  # no forecast there
    assert earlier.pk != occasion.pk
    page = Client().get(reverse("goal_chain", args=[city_goal.pk])).content.decode()
    section = page.split('id="chain-forecast-heading"')[1].split("</section>")[0]
    assert "Bedömd måluppfyllelse vid årets slut (Delårsrapport" in section
    assert "1 uppfyllt" in section and "1 ej uppfyllt" in section  # words, beside the icons
    assert "1 bedömda, 1 enligt mätetal" in section
    assert reverse("scorecard_forecast", args=[city_goal.scorecard_id, occasion.pk]) in section


CHOICES = ["met", "close", "not_met", "not_assessed", ""]  # "" : no forecast assessment given


@settings(
    max_examples=20,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(given_by_owners=st.lists(st.sampled_from([None, *CHOICES]), min_size=4, max_size=4))
def test_the_chain_roll_up_counts_as_every_goal_evaluated_would(
    world,
    card,  # noqa: F811
    occasion,  # noqa: F811
    given_by_owners,
):
    """Only goals without the owners' forecast are evaluated (a city's chain is a thousand
    goals); the roll-up must be what evaluating every goal gives, whatever the owners chose —
    "ej bedömt" and no choice leave a goal to its metrics' forecasts."""
    try:
        with transaction.atomic():
            indicator = visits(card)
            city_goal, other = _chain(world, card, occasion)
            goals = [card.first_goal, other]
            for n in range(2):
                extra = make_goal(card, f"Mål {n}")
                make_target(make_metric(extra, indicator), 1000, comparator=Comparator.GTE)
                extra.contributes_to.add(city_goal)
                goals.append(extra)
            for goal, choice in zip(goals, given_by_owners, strict=True):
                if choice is not None:
                    Assessment.objects.create(
                        goal=goal, occasion=occasion, status="met", forecast_status=choice
                    )
            everyone = goal_forecasts(
                Goal.objects.filter(pk__in=[g.pk for g in goals]).select_related("scorecard"),
                occasion,
            )
            assert chain_forecast_rollup([city_goal.pk], occasion)[city_goal.pk] == (
                forecast_rollup(everyone)
            )
            raise Rollback
    except Rollback:
        pass


class Rollback(Exception):
    pass
