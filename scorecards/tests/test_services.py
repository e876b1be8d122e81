"""Model rules: the goal chain, creating a scorecard from its parent, copying to a later year,
and the target's own validation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.testing import (
    World,
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_programme,
    make_scorecard,
    make_strategy,
    make_target,
)
from scorecards.chain import link_goal, validate_contribution
from scorecards.models import Comparator, Indicator, ScorecardStatus, Source, Target
from scorecards.services import (
    parent_scorecard,
    scorecard_copy_to_year,
    scorecard_create_from_parent,
)


@pytest.fixture
def world(db):
    world = World()
    make_programme()
    world.city_goal = make_goal(make_scorecard(world.city), "Staden i framkant")
    world.goal_a = make_goal(make_scorecard(world.unit_a), "Minskad energianvändning")
    world.goal_a1 = make_goal(make_scorecard(world.unit_a1), "LED i alla lokaler")
    return world


def refusal(goal, target) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_contribution(goal, target)
    return caught.value.messages[0]


# The goal chain ---------------------------------------------------------------------------------


def test_a_goal_links_to_a_goal_of_an_ancestor_unit(world):
    link_goal(world.goal_a1, world.city_goal)
    assert list(world.goal_a1.contributes_to.all()) == [world.city_goal]


def test_it_refuses_a_link_within_the_same_unit(world):
    other = make_goal(world.goal_a.scorecard, "Ett annat mål")
    assert "finns i samma enhets styrkort" in refusal(world.goal_a, other)


def test_it_refuses_a_link_to_a_descendant_unit(world):
    message = refusal(world.goal_a, world.goal_a1)
    assert message == "Energienheten är en underordnad enhet; målkedjan går uppåt mot staden."


def test_it_refuses_a_link_to_a_sibling_unit(world):
    sibling = make_goal(make_scorecard(world.unit_b), "Skolans mål")
    message = refusal(world.goal_a, sibling)
    assert message == (
        "Skolförvaltningen är inte överordnad Miljöförvaltningen; "
        "välj ett mål hos en överordnad enhet."
    )


def test_it_refuses_a_link_to_another_year(world):
    old = make_goal(make_scorecard(world.city, year=2025), "Förra året")
    assert "ett mål kan bara bidra till mål samma år" in refusal(world.goal_a, old)


def test_it_refuses_a_link_to_itself(world):
    assert refusal(world.goal_a, world.goal_a) == "Ett mål kan inte bidra till sig självt."


def test_it_refuses_a_cycle_left_by_a_rearranged_tree(world):
    # Linked when A1 was above A; the tree has since changed, the old link remains.
    world.goal_a.contributes_to.add(world.goal_a1)
    assert refusal(world.goal_a1, world.goal_a) == "Kopplingen skulle skapa en cirkel i målkedjan."


def test_link_goal_adds_nothing_when_refused(world):
    with pytest.raises(ValidationError):
        link_goal(world.goal_a, world.goal_a1)
    assert not world.goal_a.contributes_to.exists()


# Creating a scorecard from its parent -----------------------------------------------------------


def test_parent_scorecard_is_the_nearest_ancestor_with_one(world):
    assert parent_scorecard(world.unit_a1, 2026) == world.goal_a.scorecard
    assert parent_scorecard(world.unit_b, 2026) == world.city_goal.scorecard
    assert parent_scorecard(world.unit_b, 2030) is None


def test_create_from_parent_carries_perspectives_and_programme(world):
    parent = world.city_goal.scorecard
    parent.perspectives.set(make_perspectives()[:2])
    card = scorecard_create_from_parent(unit=world.unit_b, year=2026)
    assert set(card.perspectives.all()) == set(parent.perspectives.all())
    assert (card.programme, card.status) == (parent.programme, ScorecardStatus.DRAFT)


def test_create_from_parent_links_the_goals_taken_over(world):
    card = scorecard_create_from_parent(unit=world.unit_b, year=2026, take_over=[world.city_goal])
    goal = card.goals.get()
    assert (goal.title, goal.perspective) == (world.city_goal.title, world.city_goal.perspective)
    assert list(goal.contributes_to.all()) == [world.city_goal]


def test_create_from_parent_refuses_a_second_scorecard_for_the_year(world):
    with pytest.raises(ValidationError, match="har redan ett styrkort för 2026"):
        scorecard_create_from_parent(unit=world.unit_a, year=2026)


def test_create_from_parent_needs_a_programme_for_the_year(world):
    with pytest.raises(ValidationError, match="Det finns inget målprogram som gäller 2030."):
        scorecard_create_from_parent(unit=world.unit_b, year=2030)


def test_create_from_parent_creates_nothing_when_a_goal_is_refused(world):
    sibling_goal = make_goal(make_scorecard(world.unit_b), "Skolans mål")
    with pytest.raises(ValidationError):
        scorecard_create_from_parent(unit=world.unit_a1, year=2027, take_over=[sibling_goal])
    assert not world.unit_a1.scorecards.filter(year=2027).exists()


# Copying to a later year ------------------------------------------------------------------------


def test_copy_to_next_year_copies_goals_strategies_metrics_and_targets(world):
    goal = world.goal_a
    make_strategy(goal, "Byt till LED")
    metric = make_metric(goal, make_indicator("Energi", unit="kWh/m²"), weight=Decimal(2))
    make_target(metric, 160, comparator=Comparator.LTE, decided_by="KF", paragraph="12")
    copy = scorecard_copy_to_year(scorecard=goal.scorecard, year=2027)
    new_goal = copy.goals.get()
    assert (new_goal.title, new_goal.copied_from) == (goal.title, goal)
    assert new_goal.strategies.get().text == "Byt till LED"
    new_metric = new_goal.metrics.get()
    assert (new_metric.indicator, new_metric.weight) == (metric.indicator, Decimal(2))
    assert sorted(new_metric.targets.values_list("year", flat=True)) == [2026, 2027]


def test_copy_carries_the_target_forward_without_its_decision(world):
    metric = make_metric(world.goal_a)
    make_target(metric, 160, comparator=Comparator.LTE, decided_by="KF", paragraph="12")
    copy = scorecard_copy_to_year(scorecard=world.goal_a.scorecard, year=2027)
    carried = Target.objects.get(metric__goal__scorecard=copy, year=2027)
    kept = Target.objects.get(metric__goal__scorecard=copy, year=2026)
    assert (carried.comparator, carried.value, carried.decided_by) == ("lte", Decimal(160), "")
    assert kept.decided_by == "KF"


def test_copy_keeps_a_target_already_set_for_the_new_year(world):
    metric = make_metric(world.goal_a)
    make_target(metric, 160, year=2026)
    make_target(metric, 150, year=2027, decided_by="KF")
    copy = scorecard_copy_to_year(scorecard=world.goal_a.scorecard, year=2027)
    target = Target.objects.get(metric__goal__scorecard=copy, year=2027)
    assert (target.value, target.decided_by) == (Decimal(150), "KF")


def test_copy_repoints_links_to_copies_of_the_upper_goals(world):
    world.goal_a.contributes_to.add(world.city_goal)
    city_copy = scorecard_copy_to_year(scorecard=world.city_goal.scorecard, year=2027)
    copy = scorecard_copy_to_year(scorecard=world.goal_a.scorecard, year=2027)
    assert list(copy.goals.get().contributes_to.all()) == [city_copy.goals.get()]


def test_copy_is_a_draft(world):
    copy = scorecard_copy_to_year(scorecard=world.goal_a.scorecard, year=2027)
    assert copy.status == ScorecardStatus.DRAFT
    assert copy.decision_text == ""


def test_copy_refuses_an_earlier_year(world):
    with pytest.raises(ValidationError, match="bara kopieras till ett senare år"):
        scorecard_copy_to_year(scorecard=world.goal_a.scorecard, year=2025)


# Target and indicator rules ---------------------------------------------------------------------


def target(**kw) -> Target:
    kw.setdefault("comparator", Comparator.RANGE)
    kw.setdefault("value", Decimal(10))
    return Target(year=2026, **kw)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Ett intervall behöver en övre gräns."),
        ({"value_high": Decimal(5)}, "Övre gränsen kan inte vara lägre än den undre."),
        (
            {"comparator": Comparator.GTE, "value_high": Decimal(20)},
            "Övre gräns anges bara för intervall.",
        ),
        (
            {"value_high": Decimal(20), "tolerance": Decimal(-1)},
            "Toleransen kan inte vara negativ.",
        ),
    ],
)
def test_target_clean_refuses(fields, message):
    with pytest.raises(ValidationError) as caught:
        target(**fields).clean()
    assert caught.value.messages == [message]


def test_target_clean_accepts_a_range():
    target(value_high=Decimal(20)).clean()


def test_a_kolada_indicator_needs_a_kpi():
    with pytest.raises(ValidationError, match="Ange Kolada-KPI"):
        Indicator(name="Invånare", code="inv", source=Source.KOLADA).clean()


def test_copied_goals_have_the_status_their_copied_targets_give(world):
    from followup.evaluation import evaluate_goals
    from followup.models import GoalStatus, Measurement

    metric = make_metric(world.goal_a)
    make_target(metric, 160, comparator=Comparator.LTE)
    Measurement.objects.create(
        indicator=metric.indicator, unit=world.unit_a, year=2027, month=3, value=150
    )
    copy = scorecard_copy_to_year(scorecard=world.goal_a.scorecard, year=2027)
    new_goal = copy.goals.get()
    fresh = evaluate_goals([new_goal.pk], year=2027)[new_goal.pk].suggested
    assert fresh == "met"  # 150 against the carried-forward ≤ 160
    assert GoalStatus.objects.get(goal=new_goal).status == fresh
