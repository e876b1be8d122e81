"""Entering a month's values: all at once, validated, atomic, conflict-safe, locked when adopted."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from followup.models import FollowUpOccasion, Measurement
from scorecards.models import Aggregation, Comparator, Frequency


@pytest.fixture
def card(world):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning")
    for name, freq in [("Energi", Frequency.MONTHLY), ("Årsmått", Frequency.YEARLY)]:
        ind = make_indicator(name, frequency=freq, plausible_min=0, plausible_max=500)
        make_target(make_metric(goal, ind), 160, comparator=Comparator.LTE, tolerance=5)
    return card


def url(card, period="2026-03"):
    return reverse("value_entry", args=[card.pk]) + f"?period={period}"


def indicator(name):
    from scorecards.models import Indicator

    return Indicator.objects.get(name=name)


def test_it_lists_only_the_metrics_due_in_the_period(client, world, card):
    client.force_login(world.reporter)
    text = client.get(url(card)).content.decode()
    assert "Energi" in text and "Årsmått" not in text
    assert "Årsmått" in client.get(url(card, "2026-12")).content.decode()


def test_a_reporter_saves_values_with_comments(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    response = client.post(url(card), {f"v-{energy.pk}": "150,5", f"c-{energy.pk}": "Mild vinter"})
    assert response.status_code == 302
    m = Measurement.objects.get(indicator=energy, unit=world.unit_a, year=2026, month=3)
    assert m.value == Decimal("150.5")
    assert m.comment == "Mild vinter"
    assert m.entered_by == world.reporter
    assert m.source == "manual"


def test_the_status_changes_after_saving(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    response = client.post(url(card), {f"v-{energy.pk}": "170"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Ej uppfyllt" in response.content.decode()
    assert "<html" not in response.content.decode()  # only the form fragment


def test_a_bad_number_saves_nothing_and_says_why(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    other = make_indicator("Annat", frequency=Frequency.MONTHLY)
    make_metric(card.goals.first(), other)
    response = client.post(url(card), {f"v-{other.pk}": "12", f"v-{energy.pk}": "tolv"})
    assert response.status_code == 200
    assert "”tolv” är inte ett tal." in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_value_outside_the_plausible_range_is_refused(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    response = client.post(url(card), {f"v-{energy.pk}": "9999"})
    assert "utanför det rimliga intervallet" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    Measurement.objects.create(
        indicator=energy, unit=world.unit_a, year=2026, month=3, value=140, version=2
    )
    response = client.post(url(card), {f"v-{energy.pk}": "150", f"ver-{energy.pk}": "1"})
    assert "Någon annan har ändrat värdet" in response.content.decode()
    assert Measurement.objects.get().value == 140


def test_an_empty_value_removes_a_stored_one(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    Measurement.objects.create(indicator=energy, unit=world.unit_a, year=2026, month=3, value=1)
    client.post(url(card), {f"v-{energy.pk}": "", f"ver-{energy.pk}": "1"})
    assert not Measurement.objects.exists()


def test_a_locked_period_cannot_change(client, world, card):
    FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline="2026-05-10",
        locked_at=timezone.now(),
    )  # fmt: skip
    client.force_login(world.reporter)
    energy = indicator("Energi")
    response = client.post(url(card), {f"v-{energy.pk}": "150"})
    assert "låst" in response.content.decode()
    assert not Measurement.objects.exists()
    assert client.post(url(card, "2026-05"), {f"v-{energy.pk}": "150"}).status_code == 302


def test_history_records_who_changed_a_value(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    client.post(url(card), {f"v-{energy.pk}": "150"})
    client.post(url(card), {f"v-{energy.pk}": "155", f"ver-{energy.pk}": "1"})
    history = Measurement.objects.get().history.order_by("history_date")
    assert [h.value for h in history] == [150, 155]
    assert history.last().history_user == world.reporter


def test_an_aggregating_indicator_shows_the_computed_figure(client, world, card):
    from core.testing import make_unit

    total = make_indicator("Besökare", frequency=Frequency.MONTHLY, aggregation=Aggregation.SUM)
    make_metric(card.goals.first(), total)
    second = make_unit("Andra enheten", parent=world.unit_a)
    for unit, v in [(world.unit_a1, 10), (second, 32)]:
        Measurement.objects.create(indicator=total, unit=unit, year=2026, month=3, value=v)
    client.force_login(world.reporter)
    text = client.get(url(card)).content.decode()
    assert "Beräknat:" in text and "42" in text


@pytest.mark.parametrize("persona,status", [("reader", 403), ("editor", 200), ("admin", 200)])
def test_only_reporters_and_above_may_enter_values(client, world, card, persona, status):
    client.force_login(world.users[persona])
    assert client.get(url(card)).status_code == status


def test_anonymous_is_sent_to_sign_in(client, card):
    assert client.get(url(card)).status_code == 302


def test_entry_query_count_does_not_grow_with_metrics(client, world, card, count_queries):
    client.force_login(world.reporter)
    before = count_queries(lambda: client.get(url(card)))
    goal = card.goals.first()
    for i in range(30):
        make_metric(goal, make_indicator(f"Extra {i}", frequency=Frequency.MONTHLY))
    assert count_queries(lambda: client.get(url(card))) == before


def test_a_value_too_large_for_storage_is_refused(client, world, card):
    client.force_login(world.reporter)
    energy = indicator("Energi")
    energy.plausible_max = None
    energy.save()
    response = client.post(url(card), {f"v-{energy.pk}": "100000000000000000000"})
    assert "för stort" in response.content.decode()
    response = client.post(url(card), {f"v-{energy.pk}": "1,123456"})
    assert "fler än fyra decimaler" in response.content.decode()
    assert not Measurement.objects.exists()


def test_saving_many_values_at_once_updates_only_those_rows(world, card):
    from followup.entry import RowInput, measurements_save

    # Both due in March (a yearly value in March is refused: test_entry_rules.py).
    energy, yearly = indicator("Energi"), make_indicator("Vatten", frequency=Frequency.MONTHLY)
    allowed = {energy.pk: energy, yearly.pk: yearly}
    before = Measurement.objects.create(
        indicator=energy, unit=world.unit_a, year=2026, month=3, value=140
    )
    other = Measurement.objects.create(
        indicator=energy, unit=world.unit_a, year=2026, month=2, value=120
    )
    result = measurements_save(
        unit=world.unit_a, year=2026, month=3, user=world.reporter, allowed=allowed,
        inputs=[RowInput(energy.pk, "150", "mer el"), RowInput(yearly.pk, "7")],
    )  # fmt: skip
    assert (result.created, result.updated) == (1, 1)
    after = Measurement.objects.get(pk=before.pk)
    assert (after.value, after.comment, after.version) == (150, "mer el", 2)
    assert after.updated_at > before.updated_at
    assert after.entered_by == world.reporter
    assert Measurement.objects.get(pk=other.pk).value == 120
    assert Measurement.objects.get(indicator=yearly).history.get().history_user == world.reporter
    changes = after.history.order_by("history_id")
    assert [(h.history_type, h.value, h.version) for h in changes] == [
        ("+", 140, 1),
        ("~", 150, 2),
    ]
    assert changes.last().history_user == world.reporter


def test_new_values_get_their_history_where_bulk_inserts_return_no_ids(world, card, monkeypatch):
    from django.db import connection

    from followup.entry import RowInput, measurements_save

    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    energy = indicator("Energi")
    measurements_save(
        unit=world.unit_a, year=2026, month=3, user=world.reporter, allowed={energy.pk: energy},
        inputs=[RowInput(energy.pk, "150")],
    )  # fmt: skip
    saved = Measurement.objects.get()
    assert [(h.history_type, h.value) for h in saved.history.all()] == [("+", 150)]


def test_the_entry_page_shows_the_year_to_date_status_every_page_shows(client, world, card):
    """A cumulative metric: the entry page judges it against the share due, like the card."""
    from scorecards.models import YearValue

    energy = indicator("Energi")
    energy.year_value = YearValue.SUM
    energy.save()
    target = energy.metrics.get(goal__scorecard=card).targets.get()
    target.comparator, target.value = Comparator.LTE, 150
    target.save()
    for month, value in ((1, 20), (2, 18), (3, 16)):
        Measurement.objects.create(
            indicator=energy, unit=card.unit, year=2026, month=month, value=value
        )
    client.force_login(world.reporter)
    html = client.get(url(card, "2026-04")).content.decode()
    assert "utfall t.o.m. mars 2026" in html
    assert "målvärde t.o.m. mars: max 37,5" in html  # 3/12 of 150, so 54 is not met
