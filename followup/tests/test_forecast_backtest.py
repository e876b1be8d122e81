"""The backtest: hides what is known, forecasts it, and ranks the methods fairly."""

from collections import defaultdict
from decimal import Decimal as D
from io import StringIO

from django.core.management import call_command

from core.testing import make_indicator
from followup import backtest, forecasting
from followup.models import Measurement
from scorecards.models import Frequency, YearValue


def test_a_seasonal_series_is_forecast_best_by_last_years_shape():
    shape = [1, 1, 2, 2, 1, 1, 3, 3, 1, 1, 1, 1]
    years = {
        2024: {m: D(10 * s) for m, s in enumerate(shape, 1)},
        2025: {m: D(12 * s) for m, s in enumerate(shape, 1)},
    }
    table = defaultdict(dict)
    backtest.within_year(table, Frequency.MONTHLY, YearValue.SUM, years)
    scores = table[Frequency.MONTHLY]
    assert scores["seasonal"].common_mape == 0  # the shape repeats exactly
    assert scores["pro_rata"].common_mape > 0
    assert scores["seasonal"].skipped == 11  # 2024 has no year before it
    assert backtest.best_methods(table) == {Frequency.MONTHLY: "seasonal"}


def test_a_yearly_series_hides_its_last_year():
    table = defaultdict(dict)
    backtest.yearly(table, {2019: D(1), 2020: D(2), 2021: D(3), 2022: D(4)})
    assert table[Frequency.YEARLY]["trend"].errors == [D(0)]
    assert table[Frequency.YEARLY]["last_value"].errors == [D(25)]  # 3 for 4


def test_a_zero_actual_has_no_percentage_error():
    table = defaultdict(dict)
    backtest.yearly(table, {2019: D(1), 2020: D(2), 2021: D(0)})
    assert not table


def test_the_suggestion_for_yearly_indicators_is_the_kolada_backtests_best():
    table = defaultdict(dict)
    for history in backtest.kolada_series():
        backtest.yearly(table, history)
    assert table[Frequency.YEARLY]["trend"].errors  # the shipped files were read
    best = backtest.best_methods(table)[Frequency.YEARLY]
    assert forecasting.BEST_METHOD[Frequency.YEARLY] == best


def test_the_command_prints_every_method_and_the_baselines(db, world):
    ind = make_indicator("Besök", frequency=Frequency.MONTHLY, year_value=YearValue.SUM)
    for year in (2024, 2025):
        for month in range(1, 13):
            Measurement.objects.create(
                indicator=ind, unit=world.city, year=year, month=month, value=month + year - 2000
            )
    out = StringIO()
    call_command("forecast_backtest", stdout=out)
    text = out.getvalue()
    for label in ("år hittills pro rata", "linjär trend", "förra årets säsongsmönster"):
        assert f"| Månad | {label}" in text
    assert "senaste värdet (naiv)" in text and "samma period förra året (naiv)" in text
    assert "| År | linjär trend" in text  # the shipped Kolada series
    assert "Bäst för Månad" in text
