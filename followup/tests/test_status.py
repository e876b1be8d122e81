"""The status rule, as a table: (value, comparator, target, high, tolerance) → status."""

from decimal import Decimal as D

import pytest

from followup.status import (
    Status,
    TargetRule,
    metric_status,
    period_value,
    suggest_goal_status,
)

CASES = [
    # max 160 kWh/m² with tolerance 5
    ("150", "lte", "160", None, "5", Status.MET),
    ("160", "lte", "160", None, "5", Status.MET),
    ("164", "lte", "160", None, "5", Status.CLOSE),
    ("165", "lte", "160", None, "5", Status.CLOSE),
    ("165.01", "lte", "160", None, "5", Status.NOT_MET),
    ("161", "lte", "160", None, "0", Status.NOT_MET),
    # minst 85 %
    ("90", "gte", "85", None, "2", Status.MET),
    ("83", "gte", "85", None, "2", Status.CLOSE),
    ("82.9", "gte", "85", None, "2", Status.NOT_MET),
    # zero and negative targets: årets resultat ≥ 0, a deficit of at most −2
    ("0", "gte", "0", None, "0", Status.MET),
    ("-0.5", "gte", "0", None, "1", Status.CLOSE),
    ("-3", "gte", "-2", None, "0.5", Status.NOT_MET),
    ("-1", "gte", "-2", None, "0", Status.MET),
    ("-2.4", "gte", "-2", None, "0.5", Status.CLOSE),
    # equal
    ("100", "eq", "100", None, "0", Status.MET),
    ("101", "eq", "100", None, "2", Status.CLOSE),
    ("99", "eq", "100", None, "0", Status.NOT_MET),
    # range 2–4 % with tolerance 0.5
    ("3", "range", "2", "4", "0.5", Status.MET),
    ("2", "range", "2", "4", "0.5", Status.MET),
    ("4", "range", "2", "4", "0.5", Status.MET),
    ("1.5", "range", "2", "4", "0.5", Status.CLOSE),
    ("4.5", "range", "2", "4", "0.5", Status.CLOSE),
    ("4.6", "range", "2", "4", "0.5", Status.NOT_MET),
    ("-1", "range", "-2", "0", "0", Status.MET),
]


@pytest.mark.parametrize("value,comparator,target,high,tol,expected", CASES)
def test_metric_status_follows_the_table(value, comparator, target, high, tol, expected):
    rule = TargetRule(comparator, D(target), D(high) if high else None, D(tol))
    assert metric_status(D(value), rule) == expected


def test_a_missing_value_has_no_status_whatever_the_target():
    assert metric_status(None, TargetRule("lte", D(160))) == Status.NO_VALUE


def test_a_metric_without_target_is_shown_without_status():
    assert metric_status(D(3), None) == Status.NO_TARGET


@pytest.mark.parametrize(
    "rule,values,expected",
    [
        ("last", ["1", "5", "3"], D(3)),
        ("sum", ["1", "5", "3"], D(9)),
        ("mean", ["1", "5", "3"], D(3)),
        ("sum", [], None),
    ],
)
def test_period_value_forms_the_year_from_monthly_values(rule, values, expected):
    assert period_value([D(v) for v in values], rule) == expected


@pytest.mark.parametrize(
    "statuses,expected",
    [
        ([(Status.MET, D(1)), (Status.MET, D(2))], Status.MET),
        ([(Status.MET, D(1)), (Status.NOT_MET, D(1))], Status.CLOSE),
        ([(Status.MET, D(1)), (Status.NOT_MET, D(3))], Status.NOT_MET),
        ([(Status.CLOSE, D(1)), (Status.CLOSE, D(1))], Status.CLOSE),
        ([(Status.NO_VALUE, D(1)), (Status.NO_TARGET, D(1))], Status.NO_VALUE),
        ([(Status.NO_TARGET, D(1)), (Status.NO_TARGET, D(2))], Status.NO_TARGET),
        ([(Status.MET, D(1)), (Status.NO_VALUE, D(1))], Status.MET),
        ([(Status.NOT_MET, D(0)), (Status.MET, D(1))], Status.MET),
        ([], Status.NO_VALUE),
    ],
)
def test_goal_suggestion_weighs_its_metrics(statuses, expected):
    assert suggest_goal_status(statuses) == expected


def test_every_status_has_text_and_an_icon():
    for status in Status:
        assert status.label and status.icon
    assert len({s.icon for s in Status}) == len(Status)
