# Issue 15.6/23.2: two syncs claimed at the same moment both ran. At most one run may be queued
# or running; the database refuses the second. PostgreSQL builds the partial unique index
# CONCURRENTLY (docs/migrations.md), so the previous release's writes go on meanwhile.

from django.db import migrations, models
from django.utils import timezone

from core.migrations_safe import AddConstraintConcurrentlyOnPostgres

ACTIVE = ["queued", "running"]


def close_all_but_the_newest_active_run(apps, schema_editor):
    """Older releases could leave a queued run next to a running one (or a run whose process
    died); the index cannot be built over them. The newest stays; the others are failed."""
    SyncRun = apps.get_model("kolada", "SyncRun")
    active = SyncRun.objects.filter(status__in=ACTIVE).order_by("-started_at", "-pk")
    newest = active.values_list("pk", flat=True).first()
    if newest is None:
        return
    active.exclude(pk=newest).update(
        status="failed",
        phase="done",
        finished_at=timezone.now(),
        values_written=0,
        error="Körningen avslutades vid uppgraderingen: en annan körning var redan igång.",
    )


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction

    dependencies = [
        ("kolada", "0002_sync_run_progress_heartbeat"),
    ]

    operations = [
        migrations.RunPython(
            close_all_but_the_newest_active_run, migrations.RunPython.noop, atomic=True
        ),
        AddConstraintConcurrentlyOnPostgres(
            model_name="syncrun",
            constraint=models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(status__in=ACTIVE),
                name="one_active_kolada_sync_run",
            ),
        ),
    ]
