"""Every migration of ours passes django-migration-linter: no operation the previous release,
still serving during an upgrade (docs/migrations.md), cannot survive.

The linter reads the SQL each migration sends to PostgreSQL — the database of installations with
several app servers, the ones that upgrade without downtime — so the check runs under
``make test-pg`` (and so in CI). On SQLite every table change is a table rebuild, which the
linter cannot tell from a new NOT NULL column. Its warnings count as errors (an index built
without CONCURRENTLY locks the table's writes; a data migration without a way back blocks a
rollback).
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

# Migrations the linter flags that stay as they are, each with the reason. Names are matched
# without the app label, so each must be unique across our apps.
EXCEPTIONS = {
    "0002_roleassignment_source": (
        "organisation: RoleAssignment.source is NOT NULL without a database default; released "
        "long before the previous release (core/tests/test_previous_release.py), so every "
        "installation has run it, and a change now would not reach them"
    ),
    "0002_indicator_aggregation_weight": (
        "scorecards: the index of the then new, empty aggregation_weight column is built in the "
        "migration's transaction; released long before the previous release, as above"
    ),
    "0003_sync_run_one_active": (
        "kolada: at most one sync run queued or running (issue 15.6). The partial unique index "
        "is built CONCURRENTLY (kolada/tests/test_sync_race.py checks the SQL); the linter "
        "flags every unique index on an existing table. The previous release inserts a second "
        "active run only in the race this closes (or a timer sync while one is queued): its job "
        "then fails and the retry policy runs it again"
    ),
    "0004_benchmark_refresh": (
        "kolada: a new table with a partial unique index, no previous release uses it; the "
        "linter takes the index's WHERE … IN ( for the table name and misses the CREATE TABLE"
    ),
}
ROOT = Path(__file__).resolve().parents[2]


def our_apps() -> list[str]:
    """Apps whose code lives in this repository, not installed libraries: CI's virtualenv sits
    inside the checkout (.venv), so "under ROOT" alone would take in axes and django-tasks."""
    return [
        app.label
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(ROOT) and "site-packages" not in Path(app.path).parts
    ]


@pytest.mark.django_db(transaction=True)  # sqlmigrate of a non-atomic migration
def test_no_migration_breaks_the_previous_release(capsys):
    if connection.vendor != "postgresql":
        pytest.skip("the linter reads PostgreSQL's SQL: make test-pg runs this check")
    from django_migration_linter import MigrationLinter

    linter = MigrationLinter(
        str(ROOT),
        include_apps=our_apps(),
        ignore_name=list(EXCEPTIONS),
        # New tables: no previous release reads or writes them.
        ignore_initial_migrations=True,
        all_warnings_as_errors=True,
        no_cache=True,
    )
    linter.lint_all_migrations()
    linter.print_summary()
    report = capsys.readouterr().out
    assert not linter.has_errors, report
    assert linter.nb_valid > 0, report  # it did look at our migrations


def test_every_exception_names_a_migration_of_ours():
    """An exception for a migration that no longer exists (renamed, squashed) goes too."""
    from django.db.migrations.loader import MigrationLoader

    names = {name for app, name in MigrationLoader(None).disk_migrations if app in our_apps()}
    assert set(EXCEPTIONS) <= names
