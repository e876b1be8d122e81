"""Metric forecasts and the goal's forecast assessment: the write path, locking, the judgement
against the annual target, the suggestion and the roll-ups."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from followup.entry import CONFLICT, LOCKED, RowInput
from followup.forecasts import (
    chain_forecast_rollup,
    forecast_status,
    forecasts_save,
    goal_forecasts,
    save_forecast_assessment,
)
from followup.locking import PeriodLocked
from followup.models import Assessment, FollowUpOccasion, Forecast, Measurement
from followup.status import Status
from scorecards.models import Comparator, Frequency, YearValue


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="interim", name="Delårsrapport", end_month=8, deadline="2026-09-15"
    )


@pytest.fixture
def card(world):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Fler besökare")
    visits = make_indicator(
        "Besökare", frequency=Frequency.MONTHLY, year_value=YearValue.SUM, decimals=0
    )
    make_target(make_metric(goal, visits), 1200, comparator=Comparator.GTE, tolerance=50)
    return card


def visits(card):
    return card.goals.get().metrics.get().indicator


def save(world, card, occasion, value, version=None, comment=""):
    ind = visits(card)
    return forecasts_save(
        unit=world.unit_a,
        year=2026,
        month=occasion.end_month,
        inputs=[RowInput(ind.pk, value, comment, version)],
        user=world.reporter,
        allowed={ind.pk: ind},
    )


def test_a_forecast_is_saved_with_history_and_judged_against_the_annual_target(
    world, card, occasion
):
    assert save(world, card, occasion, "1100", comment="Sommaren var svag").ok
    stored = Forecast.objects.get()
    assert (stored.value, stored.month, stored.version) == (Decimal(1100), 8, 1)
    assert stored.history.count() == 1 and stored.history.get().history_user == world.reporter
    assert save(world, card, occasion, "1180", version=1).ok
    stored.refresh_from_db()
    assert stored.version == 2 and stored.history.count() == 2
    (item,) = goal_forecasts(card.goals.all(), occasion)
    # judged against the whole year's 1 200 (not the share due by August), tolerance 50: close
    assert item.rows[0].status == Status.CLOSE
    assert item.rows[0].status_text == "prognos: delvis uppfyllt"


def test_a_stale_version_overwrites_nothing(world, card, occasion):
    assert save(world, card, occasion, "1100").ok
    result = save(world, card, occasion, "900", version=0)
    assert result.codes == {visits(card).pk: CONFLICT}
    assert Forecast.objects.get().value == Decimal(1100)


def test_a_locked_period_refuses_forecasts(world, card, occasion):
    assert save(world, card, occasion, "1100").ok
    occasion.locked_at = timezone.now()
    occasion.save()
    result = save(world, card, occasion, "900", version=1)
    assert result.codes == {visits(card).pk: LOCKED}
    assert Forecast.objects.get().value == Decimal(1100)
    assert save(world, card, occasion, "1100", version=1).ok  # unchanged is no change


def test_a_bad_number_or_an_empty_value(world, card, occasion):
    result = save(world, card, occasion, "tolv")
    assert "”tolv” är inte ett tal." in result.errors[visits(card).pk]
    assert save(world, card, occasion, "1100").ok
    assert save(world, card, occasion, "", version=1).ok  # an empty value removes it
    assert not Forecast.objects.exists()


def test_the_suggestion_names_its_method(world, card, occasion):
    ind = visits(card)
    for month in range(1, 13):  # last year 100 a month
        Measurement.objects.create(
            indicator=ind, unit=world.unit_a, year=2025, month=month, value=100
        )
    for month in range(1, 9):  # this year 90 a month
        Measurement.objects.create(
            indicator=ind, unit=world.unit_a, year=2026, month=month, value=90
        )
    (item,) = goal_forecasts(card.goals.all(), occasion)
    row = item.rows[0]
    assert row.suggestion.value == Decimal(1080)  # 90 % of last year's 1 200
    assert row.suggestion.method.name == "seasonal"
    assert row.status == Status.NOT_MET  # the suggestion counts until a forecast is entered
    assert item.suggested.value == "not_met"


def test_forecast_status_is_the_one_status_rule():
    from followup.status import TargetRule, metric_status

    assert forecast_status(None, None) == Status.NO_VALUE
    assert metric_status(Decimal(5), TargetRule(Comparator.GTE, Decimal(4))) == Status.MET


def test_a_goal_forecast_departing_from_the_metrics_needs_a_comment(world, card, occasion):
    assert save(world, card, occasion, "900").ok  # the metric forecast says not met
    goal = card.goals.get()
    with pytest.raises(ValidationError) as caught:
        save_forecast_assessment(
            goal=goal, occasion=occasion, user=world.reporter, status="met", comment="", version=0
        )
    assert "avviker" in " ".join(caught.value.messages)
    assert not Assessment.objects.exists()
    saved = save_forecast_assessment(
        goal=goal,
        occasion=occasion,
        user=world.reporter,
        status="met",
        comment="Hösten brukar ta igen det",
        version=0,
    )
    assert (saved.forecast_status, saved.status) == ("met", "not_assessed")
    with pytest.raises(ValidationError):  # stale: someone saved version 1 meanwhile
        save_forecast_assessment(
            goal=goal, occasion=occasion, user=world.reporter, status="", comment="", version=0
        )


def test_a_locked_occasion_refuses_the_goal_forecast(world, card, occasion):
    occasion.locked_at = timezone.now()
    occasion.save()
    with pytest.raises(PeriodLocked):
        save_forecast_assessment(
            goal=card.goals.get(),
            occasion=occasion,
            user=world.reporter,
            status="met",
            comment="x",
            version=0,
        )


def test_forecasts_roll_up_along_the_chain_owners_first(world, card, occasion):
    city_card = make_scorecard(world.city)
    city_goal = make_goal(city_card, "Stadens mål")
    goal = card.goals.get()
    goal.contributes_to.add(city_goal)
    assert save(world, card, occasion, "900").ok  # "Fler besökare": not met by its forecast
    other = make_goal(card, "Annat mål")
    other.contributes_to.add(city_goal)
    rollup = chain_forecast_rollup([city_goal.pk], occasion)[city_goal.pk]
    counts = dict(rollup)
    assert counts[Status.NOT_MET] == 1 and counts[Status.NO_VALUE] == 1 and rollup.assessed == 0
    save_forecast_assessment(
        goal=other, occasion=occasion, user=world.reporter, status="met", comment="", version=0
    )
    rollup = chain_forecast_rollup([city_goal.pk], occasion)[city_goal.pk]
    assert dict(rollup)[Status.MET] == 1 and rollup.assessed == 1


def test_the_page_saves_forecasts_and_shows_them_apart(client, world, card, occasion):
    url = reverse("scorecard_forecast", args=[card.pk, occasion.pk])
    ind = visits(card)
    client.force_login(world.reader)  # a reader of another unit cannot write
    assert client.post(url, {f"f-{ind.pk}": "1000"}).status_code in (403, 404)
    client.force_login(world.reporter)
    response = client.post(url, {f"f-{ind.pk}": "1000", f"fver-{ind.pk}": "0"})
    assert response.status_code == 302
    text = client.get(url).content.decode()
    assert "prognos: ej uppfyllt" in text and "Prognos helår" in text
    response = client.post(url, {f"f-{ind.pk}": "abc", f"fver-{ind.pk}": "1"})
    assert response.status_code == 200 and "”abc” är inte ett tal." in response.content.decode()
    response = client.post(url, {"goal": card.goals.get().pk, "forecast_status": "met"})
    assert "avviker" in response.content.decode()
    assert Forecast.objects.get().value == Decimal(1000)


def test_the_report_blocks_have_the_documents_shape(world, card, occasion):
    from followup.forecast_blocks import forecast_blocks
    from yearreports.document import SCHEMA, problems

    assert save(world, card, occasion, "900").ok
    blocks = forecast_blocks(card, occasion)
    document = {"schema": SCHEMA, "sections": [{"heading": "Prognos", "blocks": blocks}]}
    assert problems(document) == []
    table = blocks[1]
    assert table["rows"][0][4] == "900" and "prognos: ej uppfyllt" in table["rows"][0][5]
    chart = blocks[-1]
    assert chart["type"] == "chart" and chart["series"][-1]["style"] == "dashed"


def test_the_followup_export_has_the_forecasts_apart(client, world, card, occasion):
    from io import BytesIO

    import openpyxl

    assert save(world, card, occasion, "900").ok
    save_forecast_assessment(
        goal=card.goals.get(), occasion=occasion, user=world.reporter, status="not_met",
        comment="", version=0,
    )  # fmt: skip
    client.force_login(world.reporter)
    response = client.get(reverse("followup_export", args=[card.pk, occasion.pk]))
    wb = openpyxl.load_workbook(BytesIO(response.content))
    metrics = list(wb["Mätetal"].iter_rows(values_only=True))
    assert metrics[0][-2:] == ("Prognos helår", "Bedömning av prognosen")
    assert metrics[1][-2] == 900 and "prognos: ej uppfyllt" in metrics[1][-1]
    goals = list(wb["Mål"].iter_rows(values_only=True))
    assert goals[0][-1] == "Bedömd måluppfyllelse vid årets slut"
    assert "Ej uppfyllt" in goals[1][-1]
