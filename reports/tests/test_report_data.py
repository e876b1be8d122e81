"""What the reports read: a fixed number of queries however many goals and metrics."""

import base64
import re
from datetime import date
from html import unescape

import pytest

from core.testing import make_goal, make_indicator, make_metric, make_target
from followup.models import FollowUpOccasion, Measurement
from reports.data import cards_for_report, followup_reports, scorecard_report
from scorecards.models import Scorecard


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="interim", name="Delårsrapport", end_month=8, deadline=date(2026, 9, 15)
    )


def grow(card, n: int) -> None:
    for i in range(n):
        goal = make_goal(card, f"Mål {i}")
        for j in range(3):
            ind = make_indicator(f"Mätetal {i}.{j}")
            make_target(make_metric(goal, ind), 50)
            for year, month in ((2025, 12), (2026, 4), (2026, 8)):
                Measurement.objects.create(
                    indicator=ind, unit=card.unit, year=year, month=month, value=40 + j
                )


def fetch(pk):
    return cards_for_report(Scorecard.objects.all()).get(pk=pk)


def test_the_scorecard_report_runs_a_fixed_number_of_queries(chain, count_queries):
    def run():
        report = scorecard_report(fetch(chain.city.pk))
        [part.strategies for part in report.goals]

    before = count_queries(run)
    grow(chain.city, 4)
    assert count_queries(run) == before


def test_the_followup_report_with_charts_runs_a_fixed_number_of_queries(
    chain, occasion, count_queries
):
    def run():
        [report] = followup_reports([fetch(chain.city.pk)], occasion, charts=True)
        assert all(line.chart for part in report.goals for line in part.metrics)

    before = count_queries(run)
    grow(chain.city, 4)
    assert count_queries(run) == before


def test_a_chart_shows_the_year_to_date_value_against_the_target(chain, occasion):
    [report] = followup_reports([fetch(chain.city.pk)], occasion, charts=True)
    [line] = report.goals[0].metrics
    alt = unescape(re.search(r'alt="([^"]*)"', line.chart)[1])
    assert "Senaste utfall 150,0\u00a0kWh/m² (mars 2026): Uppfyllt." in alt
    assert "Målvärde 2026: max 160,0 kWh/m²." in alt
    svg = base64.b64decode(re.search(r"base64,([^\"]*)", line.chart)[1]).decode()
    assert "<title" not in svg and ">Uppfyllt</text>" in svg  # drawn for print, with its legend
    assert line.value_text == "150,0\u00a0kWh/m²" and line.target_text == "max 160,0 kWh/m²"
