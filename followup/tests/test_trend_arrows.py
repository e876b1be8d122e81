"""Trend arrows with text, and the forecast beside the status on the scorecard and entry pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from followup import trend_arrows
from followup.evaluation import FollowUpPoint, statuses_at
from followup.models import Assessment, FollowUpOccasion, Forecast, Measurement
from scorecards.models import Comparator, Direction, Frequency, YearValue


@pytest.fixture
def card(world):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Mindre energi")
    energy = make_indicator(
        "Energi", frequency=Frequency.MONTHLY, direction=Direction.LOWER, year_value=YearValue.LAST
    )
    make_target(make_metric(goal, energy), 100, comparator=Comparator.LTE)
    for year, month, value in [(2025, 2, 7), (2025, 12, 9), (2026, 1, 10), (2026, 2, 8)]:
        Measurement.objects.create(
            indicator=energy, unit=world.unit_a, year=year, month=month, value=value
        )
    return card


def metric_result(card, month):
    goal = card.goals.get()
    result = statuses_at([goal.pk], FollowUpPoint(2026, month))[goal.pk]
    trend_arrows.annotate([result], 2026)
    return result.metrics[0]


def test_lower_is_better_a_fall_is_better_and_last_year_was_lower(world, card):
    r = metric_result(card, 2)
    assert (r.trend_previous.icon, r.trend_previous.label) == ("↗", "bättre")  # 10 → 8
    assert (r.trend_last_year.icon, r.trend_last_year.label) == ("↘", "sämre")  # 7 → 8


def test_the_years_first_value_compares_with_december(world, card):
    r = metric_result(card, 1)
    assert r.trend_previous.label == "sämre"  # 9 → 10
    assert r.trend_last_year is None  # no January last year


def test_an_equal_value_is_unchanged(world, card):
    Measurement.objects.filter(year=2026, month=2).update(value=10)
    assert metric_result(card, 2).trend_previous.label == "oförändrat"


def test_the_scorecard_page_shows_status_and_forecast_apart(client, world, card):
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="interim", name="Delårsrapport", end_month=8, deadline="2026-09-15"
    )
    goal = card.goals.get()
    Forecast.objects.create(
        indicator=goal.metrics.get().indicator, unit=world.unit_a, year=2026, month=8, value=120
    )
    Assessment.objects.create(
        goal=goal, occasion=occasion, status="met", forecast_status="not_met", forecast="Vintern"
    )
    client.force_login(world.reporter)
    text = client.get(reverse("scorecard_detail", args=[card.pk])).content.decode()
    assert "Bedömd måluppfyllelse vid årets slut (Delårsrapport):" in text
    assert "prognos: ej uppfyllt" in text  # the forecast 120 against max 100, and the goal's
    assert "Prognos helår" in text and "120" in text
    assert "bättre" in text and "mot föregående period" in text
    entry = client.get(reverse("value_entry", args=[card.pk]) + "?period=2026-02")
    assert "mot samma period förra året" in entry.content.decode()
    forecast_page = client.get(reverse("scorecard_forecast", args=[card.pk, occasion.pk]))
    assert forecast_page.status_code == 200 and "Decimal" not in forecast_page.content.decode()
    assert Decimal(120) == Forecast.objects.get().value


def test_the_trend_page_shows_the_forecast_dotted_and_the_kolada_comparison(
    client, world, card, settings
):
    from core.site import site_settings
    from kolada.models import KoladaValue

    metric = card.goals.get().metrics.get()
    indicator = metric.indicator
    indicator.kolada_kpi = "N00090"
    indicator.save()
    own = site_settings().kolada_id
    for municipality, value in [(own, "6.4"), ("0000", "7.0")]:
        KoladaValue.objects.create(
            kpi="N00090", municipality=municipality, year=2022, gender="T", value=Decimal(value)
        )
    Forecast.objects.create(indicator=indicator, unit=world.unit_a, year=2026, month=8, value=95)
    client.force_login(world.reporter)
    text = client.get(reverse("metric_trend", args=[metric.pk])).content.decode()
    assert 'class="forecast"' in text and "prognos helår 95" in text  # drawn apart, in words
    assert "prognos: uppfyllt" in text  # 95 against max 100
    assert "Kolada N00090, 2022:" in text and "Riket 7" in text
