"""Data migration 0006: scorecards adopted before versions existed get their first version,
taken at migration time with the snapshot adopting uses, and marked as taken by the migration."""

import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from scorecards.adoption import record_adoption, snapshot
from scorecards.models import AdoptedVersion, ScorecardStatus

migration = importlib.import_module(
    "scorecards.migrations.0007_adopted_versions_for_earlier_decisions"
)


def run_migration():
    """The migration's function, with the app registry the migration framework would pass
    (the current one answers the same apps.get_model calls)."""
    migration.snapshot_earlier_decisions(apps, None)


def test_an_adopted_scorecard_without_a_version_gets_one(world):
    card = make_scorecard(world.unit_a, decided_by="Miljönämnden", paragraph="7")
    metric = make_metric(make_goal(card, "Minskad energianvändning"), make_indicator("Energi"))
    make_target(metric, 160)
    archived = make_scorecard(world.unit_a, year=2025, status=ScorecardStatus.ARCHIVED)
    make_scorecard(world.unit_b, status=ScorecardStatus.DRAFT)
    before = timezone.now()

    run_migration()

    version = AdoptedVersion.objects.get(scorecard=card)
    assert (version.number, version.adopted_by, version.decision) == (1, None, "Miljönämnden, § 7")
    assert version.adopted_at >= before  # taken at migration time, not back-dated
    assert version.snapshot == {**snapshot(card), "recorded_by_migration": True}
    goal = version.snapshot["perspectives"][0]["goals"][0]
    assert goal["metrics"][0]["targets"][0]["label"] == "minst 160,0 %"
    assert AdoptedVersion.objects.filter(scorecard=archived).count() == 1
    assert AdoptedVersion.objects.count() == 2  # the draft has none


def test_a_scorecard_with_a_version_keeps_it_and_a_rerun_adds_nothing(world):
    card = make_scorecard(world.unit_a)
    recorded = record_adoption(card, world.admin)
    run_migration()
    run_migration()
    assert list(AdoptedVersion.objects.values_list("pk", flat=True)) == [recorded.pk]


def test_the_version_page_says_the_migration_took_it(client, world):
    card = make_scorecard(world.unit_a)
    run_migration()
    response = client.get(reverse("adopted_version", args=[card.pk, 1]))
    assertContains(response, "Styrkortet fastställdes innan versioner sparades.")
