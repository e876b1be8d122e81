"""Pieces for migrations that the previous release survives (docs/migrations.md).

During an upgrade the old code keeps serving while ``migrate`` runs, and after a rollback it
serves on the newer schema: a column it does not know must fill itself, and an index must be
built without stopping its writes.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class RandomUUID(models.Func):
    """A new random UUID made by the database, for ``db_default``: rows inserted by code that
    does not know the column still get one (PostgreSQL 13+: gen_random_uuid(); SQLite: 16
    random bytes as the 32 hex digits Django stores a UUIDField as there)."""

    function = "gen_random_uuid"
    template = "%(function)s()"
    output_field = models.UUIDField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "lower(hex(randomblob(16)))", []


class AddIndexConcurrentlyOnPostgres(migrations.AddIndex):
    """``AddIndex`` that PostgreSQL builds with CREATE INDEX CONCURRENTLY, so writes to the table
    go on while it builds; other databases build it the plain way. The migration needs
    ``atomic = False`` (PostgreSQL refuses CONCURRENTLY inside a transaction)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        concurrent = AddIndexConcurrently(self.model_name, self.index)
        return concurrent.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        concurrent = AddIndexConcurrently(self.model_name, self.index)
        return concurrent.database_backwards(app_label, schema_editor, from_state, to_state)
