"""Economy as a metric source: values fill themselves through the one value write path."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from economy.importing import apply_plan, make_plan, read_file
from economy.metrics import figure
from economy.models import ObjectMapping
from followup.models import FollowUpOccasion, Measurement
from scorecards.models import Comparator, EconomyFigure, Frequency, Source

from .files import SIE3, cp437


@pytest.fixture
def followed(world):
    ObjectMapping.objects.create(dimension=1, code="100", unit=world.unit_a1)
    card = make_scorecard(world.unit_a, year=2025)
    goal = make_goal(card, "En ekonomi i balans")
    indicators = {}
    for kind in EconomyFigure.values:
        indicators[kind] = make_indicator(
            kind, unit="kr", source=Source.ECONOMY, economy_figure=kind, frequency=Frequency.MONTHLY
        )
        metric = make_metric(goal, indicators[kind])
    make_target(metric, 0, year=2025, comparator=Comparator.GTE)
    return indicators


def values(indicator, unit):
    return dict(
        Measurement.objects.filter(indicator=indicator, unit=unit, year=2025).values_list(
            "month", "value"
        )
    )


def test_import_fills_the_figures_of_the_unit_over_its_subtree(world, followed):
    result = apply_plan(make_plan(read_file(cp437(SIE3))))
    # object 100 (unit A1, below A): Jan utfall -300 budget -400; Feb utfall 1000 budget 1200
    assert values(followed["net_cost"], world.unit_a) == {1: Decimal("-300"), 2: Decimal("700")}
    assert values(followed["budget_deviation"], world.unit_a) == {
        1: Decimal("-100"),
        2: Decimal("100"),
    }
    assert values(followed["result"], world.unit_a) == {1: Decimal("300"), 2: Decimal("-700")}
    # 700 of the year's budget 800
    assert values(followed["budget_used"], world.unit_a)[2] == Decimal("87.5")
    assert result["metric_values"] == 8
    assert set(Measurement.objects.values_list("source", flat=True)) == {"economy"}


def test_a_locked_month_is_left_as_it_was(world, followed):
    FollowUpOccasion.objects.create(
        year=2025,
        end_month=1,
        name="Januari",
        kind="month",
        deadline="2025-02-10",
        locked_at="2025-02-10T10:00Z",
    )
    apply_plan(make_plan(read_file(cp437(SIE3))))
    assert values(followed["net_cost"], world.unit_a) == {2: Decimal("700")}


def test_source_economy_needs_a_figure(db):
    indicator = make_indicator("Utan tal", source=Source.ECONOMY)
    with pytest.raises(ValidationError):
        indicator.full_clean()


def test_budget_used_without_budget_is_no_value():
    assert figure(EconomyFigure.BUDGET_USED, Decimal(5), Decimal(0), Decimal(0)) is None
