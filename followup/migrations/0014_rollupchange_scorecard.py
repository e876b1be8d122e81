# Caches scoped to what changed (issue 16): a change names the scorecard whose cached roll-ups it
# concerns. Nullable, so the previous release's inserts (no such column) record a change for
# every scorecard; the index is built CONCURRENTLY on PostgreSQL.

from django.db import migrations, models

from core.migrations_safe import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False  # PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction

    dependencies = [
        ("followup", "0013_forecast_source_economy_choice"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollupchange",
            name="scorecard",
            field=models.IntegerField(blank=True, null=True),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="rollupchange",
            index=models.Index(fields=["scorecard"], name="rollupchange_scorecard"),
        ),
    ]
