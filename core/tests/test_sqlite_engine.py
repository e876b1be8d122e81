"""The SQLite engine leaves the query planner statistics behind when a connection closes."""

import sqlite3

import pytest
from django.conf import settings
from django.db import connection

from core.sqlite_engine.base import DatabaseWrapper


def _statistics(path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return []
        return db.execute("SELECT tbl, idx FROM sqlite_stat1 ORDER BY idx").fetchall()


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker):
    with django_db_blocker.unblock():  # these tests open their own databases, not the test one
        yield


def _database(path, **options):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE goal (id INTEGER PRIMARY KEY, scorecard INTEGER, title TEXT)")
        db.execute("CREATE INDEX goal_scorecard ON goal (scorecard)")
        db.executemany(
            "INSERT INTO goal (scorecard, title) VALUES (?, ?)",
            [(n // 12, f"mål {n}") for n in range(2400)],
        )
    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), **options}
    return DatabaseWrapper(settings_dict, alias="statistics")


def test_the_app_runs_on_this_engine_when_the_database_is_sqlite():
    if connection.vendor == "sqlite":
        assert settings.DATABASES["default"]["ENGINE"] == "core.sqlite_engine"
    else:
        assert settings.DATABASES["default"]["ENGINE"] != "core.sqlite_engine"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the engine is SQLite's")
def test_a_connection_that_queried_a_table_analyses_it_as_it_closes(tmp_path):
    path = tmp_path / "city.sqlite3"
    wrapper = _database(path)
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT title FROM goal WHERE scorecard = 7")
    assert _statistics(path) == []

    wrapper.close()

    assert _statistics(path) == [("goal", "goal_scorecard")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the engine is SQLite's")
def test_closing_still_closes_when_the_statistics_cannot_be_written(tmp_path):
    path = tmp_path / "city.sqlite3"
    wrapper = _database(path, timeout=0.05)
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT title FROM goal WHERE scorecard = 7")
    writer = sqlite3.connect(path, isolation_level=None)
    # another writer holds the lock: sqlite_stat1 cannot be written
    writer.execute("BEGIN EXCLUSIVE")

    wrapper.close()
    writer.rollback()
    writer.close()

    assert wrapper.connection is None
    assert _statistics(path) == []
