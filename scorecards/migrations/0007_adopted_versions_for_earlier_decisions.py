"""Scorecards adopted (or archived) before adopted versions existed get their first version.

Taken now, at migration time, from what the scorecard holds now — the closest record of the
decision there is — with no person (``adopted_by`` empty), the version's time the migration's,
and ``"recorded_by_migration": true`` in the snapshot, so the version page and anyone reading
the data can tell it from one recorded at a decision.

Choice (historical vs current models): which scorecards lack a version, and the writing of the
version, use the historical models as data migrations should. The snapshot itself is
``scorecards.adoption.snapshot_of``, the same function adopting uses, on the current models: its
labels and numbers come from model code the historical models do not have, and a copy would
drift from the versions adopting records. It only reads columns that exist at this migration;
``elidable`` lets a later squash drop this migration should that ever change.
"""

from django.db import migrations
from django.utils import timezone

RECORDED_STATUSES = ("adopted", "archived")


def snapshot_earlier_decisions(apps, schema_editor):
    from scorecards.adoption import snapshot_of

    Scorecard = apps.get_model("scorecards", "Scorecard")
    AdoptedVersion = apps.get_model("scorecards", "AdoptedVersion")
    now = timezone.now()
    without = Scorecard.objects.filter(status__in=RECORDED_STATUSES, adopted_versions=None)
    for pk in without.order_by("pk").values_list("pk", flat=True).iterator():
        contents = {**snapshot_of(pk), "recorded_by_migration": True}
        AdoptedVersion.objects.create(
            scorecard_id=pk,
            number=1,
            adopted_at=now,
            adopted_by=None,
            decision=contents["decision"][:400],
            snapshot=contents,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scorecards", "0006_indicator_target_profile"),
    ]

    operations = [
        # Backwards: nothing to undo. The versions stay true records of what the scorecards held,
        # and removing them would cascade to the "ändrat efter beslut" marks that point to them.
        migrations.RunPython(snapshot_earlier_decisions, migrations.RunPython.noop, elidable=True),
    ]
