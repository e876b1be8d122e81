"""Roll-ups read precomputed goal statuses; every change is visible on the very next request."""

from decimal import Decimal as D

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


# ── The cached roll-up: counted once per version, never served after a change ────────────────


def _counted(chain) -> int:
    """Contributing goals below the city goal that an anonymous visitor sees, via the cache."""
    from followup.rollup import cached_contributor_status_counts

    counts = cached_contributor_status_counts(
        [chain.top.pk], visible_units=set(), scorecard_ids=[chain.top.scorecard_id]
    )
    return sum(counts[chain.top.pk].values())


def test_the_city_rollup_is_counted_once_until_something_changes(client, chain):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def chain_queries():
        with CaptureQueriesContext(connection) as ctx:
            client.get(chain.city.get_absolute_url())
        return sum("WITH RECURSIVE chain" in q["sql"] for q in ctx.captured_queries)

    assert chain_queries() == 1
    assert chain_queries() == 0
    Measurement.objects.create(
        indicator=chain.energy, unit=chain.city.unit, year=2026, month=4, value=1
    )
    assert chain_queries() == 1


def test_a_new_link_in_the_chain_counts_at_once(chain):
    from core.testing import make_goal

    assert _counted(chain) == 2  # the two adopted goals; the draft is hidden
    make_goal(chain.mid.scorecard, "Ännu ett bidrag").contributes_to.add(chain.mid)
    assert _counted(chain) == 3


def test_adopting_a_draft_scorecard_counts_at_once(chain):
    from scorecards.models import ScorecardStatus

    assert _counted(chain) == 2
    card = chain.draft.scorecard
    card.status = ScorecardStatus.ADOPTED
    card.save()
    assert _counted(chain) == 3


def test_removing_a_contributing_goal_counts_at_once(chain):
    assert _counted(chain) == 2
    chain.low.delete()
    assert _counted(chain) == 1


def test_a_change_committed_after_a_newer_one_still_changes_the_version(db):
    """Ids come in the order transactions began, not the order they commit."""
    from followup.models import RollupChange
    from followup.rollup import rollup_version

    RollupChange.objects.create(pk=10)
    before = rollup_version()
    RollupChange.objects.create(pk=5)  # an older transaction commits last
    assert rollup_version() != before


def test_old_change_records_are_pruned(db, monkeypatch):
    from followup import rollup
    from followup.models import RollupChange

    monkeypatch.setattr(rollup, "KEEP_CHANGES", 3)
    for _ in range(10):
        rollup.rollup_changed()
    assert RollupChange.objects.count() <= 3 + 2


def test_ids_used_again_after_a_restore_give_a_new_version(db):
    from followup.models import RollupChange
    from followup.rollup import rollup_version

    RollupChange.objects.create(pk=1)
    before = rollup_version()
    RollupChange.objects.all().delete()  # as a flush and restore would
    RollupChange.objects.create(pk=1)
    assert rollup_version() != before


def test_pruning_gives_a_new_version(db):
    from followup.models import RollupChange
    from followup.rollup import rollup_version

    for pk in (1, 2, 3):
        RollupChange.objects.create(pk=pk)
    before = rollup_version()
    RollupChange.objects.create(pk=4)
    RollupChange.objects.filter(pk=1).delete()  # a newer row and a pruned one: same count
    assert rollup_version() != before


def test_a_goal_with_metrics_and_targets_can_be_deleted(chain):
    from django.db import connection

    chain.top.delete()  # its metric and target go with it; no status is written for it
    assert not GoalStatus.objects.filter(goal_id=chain.top.pk).exists()
    connection.check_constraints()  # what the commit would check


def test_a_scorecard_with_goals_can_be_deleted(chain):
    from scorecards.models import Goal

    city_goals = list(chain.city.goals.values_list("pk", flat=True))
    from django.db import connection

    chain.city.delete()
    assert not Goal.objects.filter(pk__in=city_goals).exists()
    connection.check_constraints()


def test_the_chain_page_shows_a_new_contribution_at_once(client, chain):
    from core.testing import make_goal

    url = reverse("goal_chain", args=[chain.top.pk])
    assert "Ännu ett bidrag" not in client.get(url).content.decode()
    make_goal(chain.low.scorecard, "Ännu ett bidrag").contributes_to.add(chain.mid)
    assert "Ännu ett bidrag" in client.get(url).content.decode()


def test_the_chain_page_shows_drafts_only_to_those_who_may_see_them(client, world, chain):
    url = reverse("goal_chain", args=[chain.top.pk])
    assert chain.draft.title not in client.get(url).content.decode()
    client.force_login(world.admin)
    assert chain.draft.title in client.get(url).content.decode()
    client.logout()
    assert chain.draft.title not in client.get(url).content.decode()


def test_a_stored_status_is_the_status_the_pages_compute(world, chain):
    """The refresh reads only what statuses depend on (``status_only``); it must agree with the
    full evaluation the pages make, also for a yearly metric judged by last year's value."""
    from followup.evaluation import evaluate_goals

    yearly = make_indicator("Nöjdhet", frequency=Frequency.YEARLY)
    make_target(make_metric(chain.low, yearly), 80, year=2025)
    make_target(make_metric(chain.low, make_indicator("Energi")), 100, comparator=Comparator.LTE)
    Measurement.objects.create(indicator=yearly, unit=world.unit_a1, year=2025, month=12, value=70)
    goals = [chain.top.pk, chain.mid.pk, chain.low.pk]
    refresh_goal_statuses(goals)

    full = evaluate_goals(goals, year=2026)
    lean = evaluate_goals(goals, year=2026, status_only=True)
    stored = dict(GoalStatus.objects.filter(goal__in=goals).values_list("goal_id", "status"))
    assert stored == {pk: full[pk].suggested for pk in goals}
    assert [r.value for r in lean[chain.low.pk].metrics] == [D(70), None]
    assert full[chain.low.pk].suggested == "not_met"  # last year's 70 against last year's 80


# ── The owners' judgement travels up (#14.2) ─────────────────────────────────────────────────


def test_an_assessment_changes_the_rollups_above_on_the_next_request(client, world, chain):
    from datetime import date

    from followup.models import Assessment, FollowUpOccasion

    make_target(make_metric(chain.low, make_indicator("Energi")), 100, comparator=Comparator.LTE)
    Measurement.objects.create(
        indicator=chain.low.metrics.get().indicator,
        unit=world.unit_a1,
        year=2026,
        month=4,
        value=90,
    )
    assert "1 uppfyllt" in _rollup_text(client, chain)
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    Assessment.objects.create(goal=chain.low, occasion=occasion, status="close")

    city = _rollup_text(client, chain)
    assert "1 delvis uppfyllt" in city and "1 uppfyllt" not in city
    assert "(1 bedömda, 1 enligt mätetal)" in city
    mid_page = client.get(chain.mid.scorecard.get_absolute_url()).content.decode()
    assert "1 delvis uppfyllt" in mid_page  # the nämnd's roll-up of its contributors
    chain_page = client.get(reverse("goal_chain", args=[chain.top.pk])).content.decode()
    assert "1 bedömda, 1 enligt mätetal" in chain_page


def test_a_unit_scorecard_counts_its_own_goals_by_their_assessment(client, world, chain):
    from datetime import date

    from followup.models import Assessment, FollowUpOccasion

    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    Assessment.objects.create(goal=chain.low, occasion=occasion, status="not_met")
    html = client.get(chain.low.scorecard.get_absolute_url()).content.decode()
    start = html.index('aria-label="Målen i styrkortet"')
    assert "1 ej uppfyllt" in html[start : start + 900]
    assert "(1 bedömda, 0 enligt mätetal)" in html[start : start + 900]
