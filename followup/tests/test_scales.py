"""The assessment scales as tables: metrics in, suggested choice out. No database needed."""

from decimal import Decimal as D
from itertools import count

import pytest
from django.test import override_settings

from followup import scales
from followup.evaluation import GoalResult, MetricResult, target_rule
from followup.status import Status, metric_status
from scorecards.models import Direction, Indicator, Metric, Target

_pk = count(1)


def metric(value, comparator="gte", target="100", high=None, *, weight=1, before=None, **ind):
    """A MetricResult as evaluate_goals makes it; ``before`` is last year's value."""
    indicator = Indicator(
        direction=ind.get("direction", Direction.HIGHER), decimals=ind.get("decimals", 1)
    )
    m = Metric(pk=next(_pk), indicator=indicator, weight=D(weight))
    t = None
    if target is not None:
        t = Target(comparator=comparator, value=D(target), value_high=D(high) if high else None)
    v = D(value) if value is not None else None
    return MetricResult(
        metric=m,
        target=t,
        value=v,
        status=metric_status(v, target_rule(t)),
        previous_year_value=D(before) if before is not None else None,
    )


def goal(*metrics) -> GoalResult:
    return GoalResult(list(metrics), Status.NO_VALUE)


@pytest.mark.parametrize(
    "metrics,expected",
    [
        ([metric("100")], "met"),
        ([metric("100"), metric("90")], "close"),
        ([metric("90"), metric("80"), metric("100")], "not_met"),
        ([metric(None)], "not_assessed"),
        ([metric("5", target=None)], "not_assessed"),
        ([], "not_assessed"),
    ],
)
def test_three_step_scale_follows_the_status_rule(metrics, expected):
    assert scales.suggest(goal(*metrics), "three").value == expected


FULFILMENT = [
    # value, comparator, target, high → per cent
    ("85", "gte", "85", None, "100"),
    ("170", "gte", "85", None, "200"),
    ("42.5", "gte", "85", None, "50"),
    ("160", "lte", "160", None, "100"),
    ("200", "lte", "160", None, "80"),
    ("80", "lte", "160", None, "200"),
    ("110", "eq", "100", None, "90"),
    ("3", "range", "2", "4", "100"),
    ("1", "range", "2", "4", "50"),
    ("8", "range", "2", "4", "50"),
    # undefined: zero and negative targets, a ≤ value of zero
    ("1", "gte", "0", None, None),
    ("1", "gte", "-2", None, None),
    ("0", "lte", "160", None, None),
    (None, "gte", "85", None, None),
]


@pytest.mark.parametrize("value,comparator,target,high,expected", FULFILMENT)
def test_fulfilment_in_per_cent_follows_the_table(value, comparator, target, high, expected):
    t = Target(comparator=comparator, value=D(target), value_high=D(high) if high else None)
    result = scales.fulfilment(D(value) if value is not None else None, t)
    assert result == (D(expected) if expected is not None else None)


@pytest.mark.parametrize(
    "metrics,expected",
    [
        ([metric("100")], "met"),
        ([metric("95")], "close"),
        ([metric("91")], "close"),
        ([metric("90.9")], "not_met"),
        # weighted mean, each metric capped at 100 %: (100·3 + 70·1) / 4 = 92.5
        ([metric("150", weight=3), metric("70")], "close"),
        ([metric("100", weight=9), metric("0")], "not_met"),
        # max 160 kWh/m²: 168 gives 95.2 %
        ([metric("168", "lte", "160")], "close"),
        # a zero target has no percentage: the three-step rule decides (met)
        ([metric("0", "gte", "0"), metric("95")], "close"),
        ([metric("0", "gte", "0")], "met"),
        ([metric(None)], "not_assessed"),
    ],
)
def test_percent_scale_bands_the_weighted_fulfilment(metrics, expected):
    assert scales.suggest(goal(*metrics), "percent").value == expected


@override_settings(ASSESSMENT_PERCENT_BANDS=(100, 80))
def test_percent_bands_come_from_settings():
    assert scales.suggest(goal(metric("85")), "percent").value == "close"
    assert "80–99" in str(scales.get_scale("percent").choice("close").label)


@pytest.mark.parametrize(
    "metrics,expected",
    [
        ([metric("90", before="80")], "improving"),
        ([metric("70", before="80")], "worsening"),
        ([metric("80.01", before="80", decimals=1)], "unchanged"),
        ([metric("150", "lte", "160", before="170", direction=Direction.LOWER)], "improving"),
        ([metric("170", "lte", "160", before="150", direction=Direction.LOWER)], "worsening"),
        # a range: closer to 2–4 is better, inside is as good as it gets
        ([metric("5", "range", "2", "4", before="6", direction=Direction.RANGE)], "improving"),
        ([metric("3", "range", "2", "4", before="2.5", direction=Direction.RANGE)], "unchanged"),
        ([metric("1", "range", "2", "4", before="3", direction=Direction.RANGE)], "worsening"),
        # weighted: one heavy improvement outweighs a light decline
        ([metric("90", before="80", weight=2), metric("70", before="80")], "improving"),
        ([metric("90", before="80"), metric("70", before="80")], "unchanged"),
        ([metric("90", before=None)], "not_assessed"),
    ],
)
def test_trend_scale_compares_with_last_year_in_the_indicators_direction(metrics, expected):
    assert scales.suggest(goal(*metrics), "trend").value == expected


def test_trend_uses_the_same_period_last_year_when_given():
    now = metric("90", before="95")  # the whole of last year was better …
    then = MetricResult(now.metric, None, D("85"), Status.NO_TARGET)  # … but not its first tertial
    assert scales.suggest(goal(now), "trend", previous=goal(then)).value == "improving"


@pytest.mark.parametrize("key", ["three", "percent", "trend"])
def test_every_choice_has_a_label_and_an_icon_of_its_own(key):
    choices = scales.get_scale(key).choices
    assert all(str(c.label) and c.icon for c in choices)
    assert len({c.icon for c in choices}) == len(choices)
    assert choices[-1].value == "not_assessed"


def test_three_step_choices_map_to_statuses():
    scale = scales.get_scale("three")
    assert [c.status for c in scale.choices] == [Status.MET, Status.CLOSE, Status.NOT_MET, None]


@override_settings(ASSESSMENT_SCALE="trend")
def test_the_configured_scale_is_the_default():
    assert scales.get_scale().key == "trend"


def test_an_unknown_scale_is_an_error():
    with pytest.raises(ValueError):
        scales.get_scale("stars")


def test_a_value_from_another_scale_is_still_shown():
    assert scales.choice_for("improving", scales.get_scale("three")).icon == "↗"
