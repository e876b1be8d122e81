"""The forecast backtest: every projection method on the series shipped with the project, by
hiding what is known and forecasting it (``manage.py forecast_backtest``; docs/forecast.md).

* Monthly and tertial series (the database's values, e.g. the demo city after ``load_demo``):
  for every year whose periods are all known, the year's value is forecast from the periods up
  to each earlier period end (the rest hidden), and compared with the year's actual value.
* Yearly series (the real Kolada figures shipped in ``demo/data`` and the recorded Kolada
  answers in ``kolada/tests/recorded``; not the database's yearly values, which in the demo are
  made up): the last known year is hidden and forecast from the years before it.

The error is the mean absolute percentage error (MAPE) over every forecast a method could make;
a case whose actual value is zero has no percentage error and is left out (and counted).
"""

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from scorecards.models import Frequency, YearValue

from . import forecasting

KOLADA_FILES = (
    Path(settings.BASE_DIR) / "demo" / "data" / "helsingborg_and_riket_real_values_2015-2022.csv",
    Path(settings.BASE_DIR) / "kolada" / "tests" / "recorded" / "v3_data_3kpi_5mun_2018-2022.json",
)
HUNDRED = Decimal(100)


@dataclass
class Score:
    """The errors of one method at one frequency: over every case it could forecast, and over
    the cases every method could forecast (the fair comparison, which ranks the methods)."""

    errors: list[Decimal] = field(default_factory=list)
    common: list[Decimal] = field(default_factory=list)
    skipped: int = 0  # cases the method could not project

    @property
    def mape(self) -> Decimal | None:
        return _mean(self.errors)

    @property
    def common_mape(self) -> Decimal | None:
        return _mean(self.common)


def _mean(errors: list[Decimal]) -> Decimal | None:
    return sum(errors, Decimal(0)) / len(errors) if errors else None


Table = dict[str, dict[str, Score]]  # frequency → method → score


def _record(table: Table, frequency: str, forecasts: dict, actual: Decimal) -> None:
    """One hidden value and every method's forecast of it (None: could not project)."""
    everyone = all(f is not None for f in forecasts.values())
    for method, forecast in forecasts.items():
        score = table[frequency].setdefault(method, Score())
        if forecast is None:
            score.skipped += 1
            continue
        error = abs(forecast - actual) / abs(actual) * HUNDRED
        score.errors.append(error)
        if everyone:
            score.common.append(error)


def within_year(table: Table, frequency: str, rule: str, years: dict[int, dict[int, Decimal]]):
    """Score every method on one series: {year: {month: value}}."""
    step = forecasting.STEPS[frequency]
    ends = list(range(step, 13, step))
    for year, months in sorted(years.items()):
        if any(m not in months for m in ends):
            continue  # only whole years have an actual year value to compare with
        actual = forecasting.year_value({m: months[m] for m in ends}, rule)
        if not actual:
            continue
        last_year = years.get(year - 1, {})
        for cut in ends[:-1]:
            known = {m: months[m] for m in ends if m <= cut}
            forecasts = {
                name: method.project(known, rule, step, last_year)
                for name, method in forecasting.METHODS.items()
            }
            _record(table, frequency, forecasts, actual)


def yearly(table: Table, history: dict[int, Decimal]) -> None:
    """Hide the last known year of one yearly series and forecast it."""
    known = {y: v for y, v in history.items() if v is not None}
    if len(known) < 3:  # a trend needs two years before the hidden one
        return
    last = max(known)
    actual = known.pop(last)
    if not actual:
        return
    forecasts = {name: m.project(known) for name, m in forecasting.YEARLY_METHODS.items()}
    _record(table, Frequency.YEARLY, forecasts, actual)


def kolada_series() -> list[dict[int, Decimal]]:
    """{year: value} per (KPI, municipality) of the shipped Kolada files, totals only."""
    series: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    for path in KOLADA_FILES:
        if not path.exists():
            continue
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    if row["gender"] == "T" and row["value"]:
                        series[(row["kpi"], row["municipality"])][int(row["period"])] = Decimal(
                            row["value"]
                        )
        else:
            data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
            for row in data["values"]:
                for item in row["values"]:
                    if item["gender"] == "T" and item["value"] is not None:
                        key = (row["kpi"], row["municipality"])
                        series[key].setdefault(int(row["period"]), Decimal(item["value"]))
    return list(series.values())


def database_series():
    """(frequency, year value rule, {year: {month: value}}) per indicator and unit with values."""
    from .models import Measurement

    grouped: dict[tuple[int, int], dict[int, dict[int, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    meta = {}
    rows = Measurement.objects.values_list(
        "indicator_id", "unit_id", "year", "month", "value", "indicator__frequency",
        "indicator__year_value",
    ).order_by()  # fmt: skip
    for ind, unit, year, month, value, frequency, rule in rows.iterator(chunk_size=5000):
        grouped[(ind, unit)][year][month] = value
        meta[(ind, unit)] = (frequency, rule)
    return [(*meta[key], years) for key, years in grouped.items()]


def run() -> Table:
    """The whole backtest: {frequency: {method: Score}}."""
    table: Table = defaultdict(dict)
    for frequency, rule, years in database_series():
        # Yearly values in the database are the demo's made-up continuation of the real
        # figures: yearly methods are judged on the real Kolada series alone.
        if frequency in (Frequency.MONTHLY, Frequency.TERTIAL):
            within_year(table, frequency, rule or YearValue.LAST, years)
    for history in kolada_series():
        yearly(table, history)
    return table


def best_methods(table: Table) -> dict[str, str]:
    """{frequency: the method with the lowest MAPE on the cases every method could forecast}.
    A naive baseline may win: then the suggestion is honest about it."""
    best = {}
    for frequency, scores in table.items():
        candidates = [
            (score.common_mape, name)
            for name, score in scores.items()
            if score.common_mape is not None
        ]
        if candidates:
            best[frequency] = min(candidates)[1]
    return best
