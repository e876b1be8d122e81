from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_site_settings_assessment_scale"),
    ]

    operations = [
        migrations.AddField(
            model_name="sitesettings",
            name="word_template",
            field=models.FileField(
                blank=True,
                db_default="",
                default="",
                max_length=255,
                upload_to="wordmall/",
                verbose_name="Word-mall",
            ),
        ),
    ]
