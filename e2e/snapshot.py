"""The database right after ``load_demo``, restored before each browser test in a fraction of the
time the loader takes.

Browser tests need real transactions (the live server runs in another thread), so pytest-django
empties every table after each test. Loading the demo city again each time would cost seconds per
test; instead the first test loads it and takes a snapshot, and later tests put it back:
SQLite copies the whole database with its backup API, PostgreSQL copies every table into a
schema of its own and back (Django's foreign keys there are deferrable, so order does not matter).
"""

import sqlite3

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

SCHEMA = "e2e_snapshot"


class Snapshot:
    def __init__(self):
        self.sqlite_copy: sqlite3.Connection | None = None
        self.tables: list[str] = []

    def take(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.sqlite_copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite_copy)
            return
        self.tables = connection.introspection.django_table_names(only_existing=True)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
            for table in self.tables:
                name = connection.ops.quote_name(table)
                cursor.execute(f"CREATE TABLE {SCHEMA}.{name} AS TABLE {name}")

    @property
    def taken(self) -> bool:
        return self.sqlite_copy is not None or bool(self.tables)

    def restore(self) -> None:
        connection.ensure_connection()
        # Emptying the tables re-created the content types with new ids; the snapshot brings the
        # old ones back, so the per-process cache must forget the new ones.
        ContentType.objects.clear_cache()
        if self.sqlite_copy is not None:
            self.sqlite_copy.backup(connection.connection)
            return
        names = [connection.ops.quote_name(t) for t in self.tables]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(names)}")
            for name in names:
                # Table names come from introspection and are quoted.
                cursor.execute(f"INSERT INTO {name} SELECT * FROM {SCHEMA}.{name}")  # noqa: S608
            models = [m for m in apps.get_models() if m._meta.db_table in self.tables]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
