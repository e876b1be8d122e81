# The token gets a database default, so code that does not know the column (the previous
# release, during an upgrade or after a rollback) can still record roll-up changes. Databases
# that ran 0004 as first released lack it; for the others this sets the same default again.

import uuid

from django.db import migrations, models

from core.migrations_safe import RandomUUID


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0004_rollup_change_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rollupchange",
            name="token",
            field=models.UUIDField(default=uuid.uuid4, db_default=RandomUUID(), editable=False),
        ),
    ]
