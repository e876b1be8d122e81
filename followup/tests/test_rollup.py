"""Roll-ups read precomputed goal statuses; every change is visible on the very next request."""

from django.urls import reverse

from core.testing import make_indicator, make_metric, make_target
from followup.models import GoalStatus, Measurement
from followup.rollup import batched_refresh, refresh_goal_statuses
from scorecards.models import Comparator, Frequency


def _rollup_text(client, chain):
    html = client.get(chain.city.get_absolute_url()).content.decode()
    start = html.index('aria-label="Bidragande mål i hela kedjan"')
    return html[start : start + 600]


def test_a_value_saved_through_the_entry_page_shows_in_the_city_rollup_at_once(
    client, world, chain
):
    indicator = make_indicator("Energi enheten", frequency=Frequency.MONTHLY)
    make_target(make_metric(chain.mid, indicator), 100, comparator=Comparator.LTE)
    before = _rollup_text(client, chain)
    assert "1 ej uppfyllt" not in before

    client.force_login(world.reporter)
    url = reverse("value_entry", args=[chain.mid.scorecard.pk]) + "?period=2026-03"
    client.post(url, {f"v-{indicator.pk}": "130"})
    client.logout()

    assert "1 ej uppfyllt" in _rollup_text(client, chain)


def test_a_changed_target_refreshes_the_stored_status(world, chain):
    indicator = make_indicator("Avfall")
    target = make_target(make_metric(chain.low, indicator), 10, comparator=Comparator.LTE)
    Measurement.objects.create(
        indicator=indicator, unit=world.unit_a1, year=2026, month=12, value=12
    )
    assert GoalStatus.objects.get(goal=chain.low).status == "not_met"
    target.value = 15
    target.save()
    assert GoalStatus.objects.get(goal=chain.low).status == "met"


def test_a_batch_refreshes_once_at_the_end(world, chain):
    indicator = make_indicator("Batch")
    make_target(make_metric(chain.low, indicator), 10, comparator=Comparator.LTE)
    with batched_refresh():
        Measurement.objects.create(
            indicator=indicator, unit=world.unit_a1, year=2026, month=12, value=5
        )
        assert GoalStatus.objects.get(goal=chain.low).status == "no_value"  # not yet
    assert GoalStatus.objects.get(goal=chain.low).status == "met"


def test_refreshing_everything_covers_bulk_inserted_values(world, chain):
    indicator = make_indicator("Bulk")
    make_target(make_metric(chain.low, indicator), 10, comparator=Comparator.GTE)
    Measurement.objects.bulk_create(
        [Measurement(indicator=indicator, unit=world.unit_a1, year=2026, month=12, value=11)]
    )
    assert GoalStatus.objects.get(goal=chain.low).status == "no_value"  # signals bypassed
    refresh_goal_statuses()
    assert GoalStatus.objects.get(goal=chain.low).status == "met"


def test_rollup_counts_every_level_and_hides_drafts_from_those_who_may_not_see_them(world, chain):
    from followup.rollup import contributor_status_counts
    from organisation import access

    everyone = contributor_status_counts([chain.top.pk], visible_units=None)[chain.top.pk]
    assert sum(everyone.values()) == 3  # mid, low and the draft in Skola
    citizen = contributor_status_counts([chain.top.pk], visible_units=set())[chain.top.pk]
    assert sum(citizen.values()) == 2
    reader_units = access.visible_unit_ids(world.reader)
    reader = contributor_status_counts([chain.top.pk], visible_units=reader_units)[chain.top.pk]
    assert sum(reader.values()) == 3
