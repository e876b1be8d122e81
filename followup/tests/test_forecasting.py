"""Projections on hand-computed series: zero, negative and missing months included."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from followup.forecasting import (
    last_value,
    pro_rata,
    same_last_year,
    seasonal,
    suggest,
    trend,
    year_value,
    yearly_last,
    yearly_trend,
)
from scorecards.models import Frequency, YearValue

SUM, MEAN, LAST = YearValue.SUM, YearValue.MEAN, YearValue.LAST


def months(*values):
    """{1: v1, 2: v2, ...}, skipping None (a missing month)."""
    return {m: D(str(v)) for m, v in enumerate(values, start=1) if v is not None}


# ── pro rata ──


def test_pro_rata_of_a_sum_is_the_average_month_times_twelve():
    # 10 + 20 + 30 = 60 in three months: 20 a month, 240 a year
    assert pro_rata(months(10, 20, 30), SUM) == D(240)


def test_pro_rata_counts_a_zero_month_but_skips_a_missing_one():
    assert pro_rata(months(12, 0, 12), SUM) == D(96)  # 24 in three months: 8 a month
    assert pro_rata(months(12, None, 12), SUM) == D(144)  # 24 in two known months: 12 a month


def test_pro_rata_of_negative_values():
    assert pro_rata(months(-5, -15), SUM) == D(-120)
    assert pro_rata(months(-5, 5), SUM) == D(0)


def test_pro_rata_of_a_mean_and_a_level():
    assert pro_rata(months(4, 6), MEAN) == D(5)
    assert pro_rata(months(4, 6, None), LAST) == D(6)  # a level carries on


def test_pro_rata_of_tertials():
    # T1 = 100: three tertials of 100
    assert pro_rata({4: D(100)}, SUM, step=4) == D(300)
    assert pro_rata({4: D(100), 8: D(50)}, SUM, step=4) == D(225)


def test_no_values_no_projection():
    for method in (pro_rata, trend, seasonal, last_value):
        assert method({}, SUM) is None


# ── linear trend ──


def test_trend_of_a_straight_line_continues_it():
    # 1, 2, 3: months 4..12 are 4..12; the year sums to 78
    assert trend(months(1, 2, 3), SUM) == D(78)
    assert trend(months(1, 2, 3), LAST) == D(12)
    assert trend(months(1, 2, 3), MEAN) == D("6.5")


def test_trend_through_a_missing_month():
    # months 1 and 3 known (2 and 6): slope 2, intercept 0; December is 24
    assert trend(months(2, None, 6), LAST) == D(24)


def test_trend_of_a_flat_zero_series_is_zero():
    assert trend(months(0, 0, 0, 0), SUM) == D(0)


def test_trend_of_negative_values_falls_further():
    # -1, -2, -3: December -12
    assert trend(months(-1, -2, -3), LAST) == D(-12)


def test_trend_needs_two_values():
    assert trend(months(5), SUM) is None


# ── last year's seasonal profile ──

LAST_YEAR = months(10, 10, 20, 20, 10, 10, 10, 10, 10, 10, 10, 10)  # 140 in all


def test_seasonal_scales_last_years_remaining_months():
    # this year 15 + 15 = 30 against last year's 20 in Jan–Feb: 1.5 times; the year 1.5 × 140 = 210
    assert seasonal(months(15, 15), SUM, last_year=LAST_YEAR) == D(210)


def test_seasonal_with_a_missing_month_uses_the_same_months_last_year():
    # Jan and Mar known (15 + 30) against last year's (10 + 20): 1.5; Feb filled with 15
    assert seasonal(months(15, None, 30), SUM, last_year=LAST_YEAR) == D(210)


def test_seasonal_mean_and_level():
    assert seasonal(months(20), MEAN, last_year=LAST_YEAR) == D(140) * 2 / 12
    assert seasonal(months(20), LAST, last_year=LAST_YEAR) == D(20)  # December 10 × 2


def test_seasonal_with_negative_values():
    before = {m: D(-10) for m in range(1, 13)}
    assert seasonal(months(-20), SUM, last_year=before) == D(-240)


def test_seasonal_cannot_project_from_zero_or_nothing():
    zeros = {m: D(0) for m in range(1, 13)}
    assert seasonal(months(5), SUM, last_year=zeros) is None
    assert seasonal(months(5), SUM, last_year={}) is None
    assert seasonal(months(5), SUM, last_year=months(1, 2)) is None  # half a year is no shape


# ── naive baselines ──


def test_last_value_repeats_the_latest_month():
    assert last_value(months(10, 20), SUM) == D(10 + 20 + 20 * 10)
    assert last_value(months(10, 0), SUM) == D(10)  # a zero month repeats as zero


def test_same_last_year_is_last_years_total():
    assert same_last_year(months(1), SUM, last_year=LAST_YEAR) == D(140)
    assert same_last_year(months(1), SUM, last_year=months(1, 2)) is None


def test_yearly_series():
    history = {2019: D(6), 2020: D(7), 2021: D(8)}
    assert yearly_trend(history) == D(9)
    assert yearly_last(history) == D(8)
    assert yearly_trend({2021: D(8)}) is None


# ── the suggestion ──


def test_suggestion_names_its_method_and_falls_back():
    with_shape = suggest(Frequency.MONTHLY, SUM, months(15, 15), LAST_YEAR)
    assert with_shape.method.name == "seasonal" and with_shape.value == D(210)
    without = suggest(Frequency.MONTHLY, SUM, months(15, 15), {})
    assert without.method.name == "trend"
    one_tertial = suggest(Frequency.TERTIAL, SUM, {4: D(100)}, {})  # no line through one point
    assert one_tertial.method.name == "pro_rata" and one_tertial.value == D(300)
    assert str(without.label)
    assert suggest(Frequency.MONTHLY, SUM, {}) is None
    yearly = suggest(Frequency.YEARLY, LAST, {}, {12: D(7)})
    assert yearly.value == D(7) and yearly.method.name == "last_value"
    assert suggest(Frequency.YEARLY, LAST, {12: D(8)}, {12: D(7)}) is None  # already known


# ── properties that hold for every series ──

values = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
series = st.dictionaries(st.integers(1, 12), values, min_size=1, max_size=12)


@given(series)
def test_a_complete_year_projects_to_itself(known):
    full = {m: known.get(m, D(0)) for m in range(1, 13)}
    for rule in (SUM, MEAN, LAST):
        actual = year_value(full, rule)
        for method in (pro_rata, trend, last_value):
            assert method(full, rule) == actual or abs(method(full, rule) - actual) < D("1e-20")


@given(series, st.decimals(min_value=-50, max_value=50, places=1))
def test_a_constant_series_projects_the_constant(known, level):
    constant = {m: level for m in known}
    for method in (pro_rata, last_value):
        assert method(constant, MEAN) == level
        assert method(constant, SUM) == level * 12
    if len(constant) >= 2:
        assert abs(trend(constant, SUM) - level * 12) < D("1e-20")


@given(series, st.integers(2, 5))
def test_scaling_the_series_scales_the_projection(known, factor):
    scaled = {m: v * factor for m, v in known.items()}
    for method in (pro_rata, trend, last_value):
        a, b = method(known, SUM), method(scaled, SUM)
        assert (a is None) == (b is None)
        if a is not None:
            assert abs(a * factor - b) < D("1e-18")
