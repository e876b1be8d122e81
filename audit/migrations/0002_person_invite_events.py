# Events of people created and invited from /personer/, of a password chosen through the
# invitation link and of API tokens issued and revoked there. Only the choices change (no SQL).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="event",
            field=models.CharField(
                choices=[
                    ("login", "Inloggning"),
                    ("login_failed", "Misslyckad inloggning"),
                    ("locked_out", "Spärrad efter för många försök"),
                    ("logout", "Utloggning"),
                    ("role_added", "Roll tilldelad"),
                    ("role_removed", "Roll borttagen"),
                    ("person_deactivated", "Person inaktiverad"),
                    ("person_activated", "Person aktiverad"),
                    ("person_created", "Person skapad"),
                    ("person_invited", "Inbjudan skickad"),
                    ("password_set", "Lösenord valt via länk"),
                    ("api_token_issued", "API-nyckel skapad"),
                    ("api_token_revoked", "API-nyckel återkallad"),
                    ("period_locked", "Uppföljning låst"),
                    ("period_reopened", "Uppföljning öppnad igen"),
                    ("export", "Export av icke-publika uppgifter"),
                ],
                db_index=True,
                max_length=40,
                verbose_name="händelse",
            ),
        ),
    ]
