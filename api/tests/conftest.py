"""Fixtures for API tests: clients for each persona, a hidden draft, and a card to report on."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_strategy,
    make_subtree_admin,
    make_target,
)
from followup.models import Action, Assessment, FollowUpOccasion, Measurement, OccasionKind
from scorecards.models import Comparator, Frequency

PERSONAS = [None, "admin", "editor", "reporter", "reader", "subadmin"]


@pytest.fixture
def api(world):
    """``api(persona)`` → a client that sends that persona's token; ``api()`` is anonymous."""

    def make(persona: str | None = None) -> APIClient:
        client = APIClient()
        if persona == "subadmin" and persona not in world.users:
            make_subtree_admin(world)  # administrator of unit A only
        if persona:
            _token, secret = ApiToken.issue(user=world.users[persona], name="test")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make


@pytest.fixture
def occasions(db):
    """2026's tertial (April) and interim (August) occasions."""
    return {
        month: FollowUpOccasion.objects.create(
            year=2026, kind=kind, name=name, end_month=month, deadline=date(2026, month + 1, 15)
        )
        for month, kind, name in [
            (4, OccasionKind.TERTIAL, "Tertialrapport T1"),
            (8, OccasionKind.INTERIM, "Delårsrapport"),
        ]
    }


@pytest.fixture
def draft(world, chain, occasions):
    """The chain's draft in Skola (unit B) with one of everything: its reader and admin see it."""
    goal = chain.draft
    card = goal.scorecard
    indicator = make_indicator("Hemligt mätetal", code="hemligt")
    metric = make_metric(goal, indicator)
    return type(
        "Draft",
        (),
        dict(
            card=card,
            goal=goal,
            strategy=make_strategy(goal, "Hemlig strategi"),
            metric=metric,
            target=make_target(metric, 80),
            value=Measurement.objects.create(
                indicator=indicator, unit=world.unit_b, year=2026, month=12, value=70
            ),
            assessment=Assessment.objects.create(
                goal=goal, occasion=occasions[4], status="close", analysis="Hemlig analys"
            ),
            action=Action.objects.create(goal=goal, title="Hemlig aktivitet", owner="Rektor"),
        ),
    )


@pytest.fixture
def entry(world, occasions):
    """Miljöförvaltningen's (unit A) adopted card with a monthly and a yearly indicator."""
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning")
    monthly = make_indicator("Energi", code="energi", frequency=Frequency.MONTHLY)
    monthly.plausible_min, monthly.plausible_max = 0, 500
    monthly.save()
    waste = make_indicator("Avfall", code="avfall", frequency=Frequency.MONTHLY)
    yearly = make_indicator("Årsmått", code="arsmatt", frequency=Frequency.YEARLY)
    metrics = [make_metric(goal, ind) for ind in (monthly, waste, yearly)]
    make_target(metrics[0], 160, comparator=Comparator.LTE, tolerance=5)
    return type(
        "Entry",
        (),
        dict(
            card=card,
            goal=goal,
            monthly=monthly,
            waste=waste,
            yearly=yearly,
            metric=metrics[0],
            strategy=make_strategy(goal),
        ),
    )
