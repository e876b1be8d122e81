"""Shared fixtures: the personas' world and a goal chain three levels deep."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import (
    World,
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_scorecard,
    make_strategy,
    make_subtree_admin,
    make_target,
)
from followup.models import Measurement
from scorecards.models import Comparator, Direction, ScorecardStatus


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def subadmin(world):
    """Administrator of unit A (Miljöförvaltningen) and the units below it only."""
    return make_subtree_admin(world)


@pytest.fixture
def chain(world):
    """City goal ← Miljöförvaltningen goal ← Energienheten goal, plus a draft in Skola."""
    framtid = make_perspectives()[3]
    city = make_scorecard(world.city, decided_by="Kommunfullmäktige", paragraph="12")
    top = make_goal(
        city,
        "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor",
        perspective=framtid,
    )
    make_strategy(top, "Minska energianvändningen i stadens lokaler")
    energy = make_indicator(
        "Energianvändning i kommunala lokaler", unit="kWh/m²", direction=Direction.LOWER
    )
    metric = make_metric(top, energy)
    make_target(metric, 160, comparator=Comparator.LTE, tolerance=5)
    Measurement.objects.create(indicator=energy, unit=world.city, year=2026, month=3, value=150)
    mid_card = make_scorecard(world.unit_a)
    mid = make_goal(mid_card, "Miljöförvaltningen minskar sin klimatpåverkan", perspective=framtid)
    mid.contributes_to.add(top)
    low_card = make_scorecard(world.unit_a1)
    low = make_goal(low_card, "Energienheten effektiviserar lokalerna", perspective=framtid)
    low.contributes_to.add(mid)
    draft_card = make_scorecard(world.unit_b, status=ScorecardStatus.DRAFT)
    draft = make_goal(draft_card, "Hemligt utkast i Skola", perspective=framtid)
    draft.contributes_to.add(top)
    return type(
        "Chain",
        (),
        dict(city=city, top=top, mid=mid, low=low, draft=draft, metric=metric, energy=energy),
    )


@pytest.fixture
def count_queries():
    """Call ``count_queries(fn)`` → number of queries ``fn`` ran."""

    def run(fn):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    return run


@pytest.fixture(autouse=True)
def fresh_site_settings():
    """The settings row is cached per process (core/site.py). Every test's database starts
    without it, so no test pays a query for it until it saves one."""
    from core.site import assume_no_row, forget

    assume_no_row()
    yield
    forget()


@pytest.fixture(autouse=True)
def swedish_after_each_test():
    """A request in English leaves the thread's language switched; start every test in Swedish."""
    yield
    from django.utils import translation

    translation.activate("sv")
