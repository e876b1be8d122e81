# Issue 15.6: the benchmark page's "Hämta senaste värden från Kolada" runs in the worker; this
# table holds each refresh's state and outcome. A new table: no previous release uses it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kolada", "0003_sync_run_one_active"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BenchmarkRefresh",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kpi", models.CharField(max_length=20, verbose_name="KPI")),
                ("municipalities", models.JSONField(default=list, verbose_name="kommuner")),
                ("status", models.CharField(choices=[("queued", "Köad"), ("running", "Pågår"), ("succeeded", "Klar"), ("failed", "Misslyckades")], default="queued", max_length=10, verbose_name="status")),
                ("requested_at", models.DateTimeField(verbose_name="begärd")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="startad")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="klar")),
                ("values_fetched", models.PositiveIntegerField(default=0, verbose_name="hämtade värden")),
                ("error", models.TextField(blank=True, verbose_name="felmeddelande")),
                ("job_id", models.CharField(blank=True, default="", max_length=64, verbose_name="jobb")),
                ("requested_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="begärd av")),
            ],
            options={
                "verbose_name": "Kolada-jämförelse, hämtning",
                "verbose_name_plural": "Kolada-jämförelser, hämtningar",
                "ordering": ["-requested_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(status__in=["queued", "running"]),
                        fields=("kpi",),
                        name="one_active_benchmark_refresh_per_kpi",
                    )
                ],
            },
        ),
    ]  # fmt: skip
