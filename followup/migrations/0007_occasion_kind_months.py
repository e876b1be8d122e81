# Occasions of any kind (month, tertial, delår, helår or the municipality's own) and the months
# they cover. start_month has a database default, so the previous release, which does not know
# the column, still creates occasions during an upgrade; every existing row gets 1 (January), the
# months they have always covered. The new kinds change only the choices (no SQL).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0006_reminder_sent"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupoccasion",
            name="start_month",
            field=models.PositiveSmallIntegerField(
                db_default=1, default=1, verbose_name="från och med månad"
            ),
        ),
        migrations.AlterField(
            model_name="followupoccasion",
            name="kind",
            field=models.CharField(
                choices=[
                    ("month", "Månadsrapport"),
                    ("tertial", "Tertialrapport"),
                    ("interim", "Delårsrapport"),
                    ("annual", "Årsredovisning"),
                    ("other", "Eget slag"),
                ],
                max_length=10,
                verbose_name="typ",
            ),
        ),
    ]
