"""backup → flush → restore gives back every row of every table byte for byte, on SQLite and on
PostgreSQL (run with scripts/with-postgres.sh); a failing restore is one line and leaves the
database empty; the file is its owner's only."""

import gzip
import io
import json
import os
import stat
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection
from django_tasks_db.models import DBTaskResult

from api.models import ApiToken
from audit.models import AuditEntry
from core.models import SiteSettings
from core.testing import (
    World,
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_programme,
    make_scorecard,
    make_strategy,
    make_target,
)
from followup.models import (
    Action,
    Assessment,
    FollowUpOccasion,
    GoalStatus,
    Measurement,
    OccasionLog,
    OccasionNames,
    OccasionUnitLock,
    ReminderSent,
    SummaryAnalysis,
)
from kolada.models import (
    BenchmarkRefresh,
    KoladaKpi,
    KoladaMunicipality,
    KoladaMunicipalityGroup,
    KoladaValue,
    SyncConflict,
    SyncRun,
)
from reports.backup import EXCLUDED, _included_models, counts
from reports.models import ImportBatch
from scorecards.models import AdoptedVersion, ChangeAfterAdoption

pytestmark = pytest.mark.django_db(transaction=True)

MICRO = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)  # microseconds, not milliseconds
PRECISE = Decimal("84.21828909")  # more decimals than the column's 4: SQLite keeps them all


def fill() -> World:
    """A little of everything: decimals with many places, datetimes to the microsecond, change
    history, users with password hashes, groups and permissions, Kolada data, jobs, the audit
    log, API tokens, imports, sign-in attempts."""
    world = World()
    world.admin.password = "pbkdf2_sha256$1000000$c2FsdA$" + "A" * 43 + "="
    world.admin.last_login = MICRO
    world.admin.save()
    group = Group.objects.create(name="Controllers")
    group.permissions.add(Permission.objects.get(codename="change_goal"))
    world.editor.groups.add(group)
    world.editor.user_permissions.add(Permission.objects.get(codename="view_measurement"))

    perspectives = make_perspectives()
    programme = make_programme()
    card = make_scorecard(world.city, programme=programme, decided_by="KF", paragraph="§ 12")
    card.perspectives.set(perspectives[:2])
    top = make_goal(card, "Ett klimatneutralt Staden", perspective=perspectives[0])
    mid = make_goal(
        make_scorecard(world.unit_a), "Lägre energianvändning", perspective=perspectives[0]
    )
    mid.contributes_to.add(top)
    make_strategy(top, "Solceller på alla tak 🌞")
    energy = make_indicator("Energi", code="energi", kolada_kpi="N00001")
    metric = make_metric(top, energy)
    target = make_target(metric, Decimal("160.1234"), tolerance=Decimal("0.0001"))
    target.value = PRECISE
    target.save()  # a second history row, and the precise value
    for month, value in [
        (1, PRECISE),
        (2, Decimal("-0.00005")),
        (3, Decimal("12345678901234.5678")),
    ]:
        Measurement.objects.create(
            indicator=energy, unit=world.city, year=2026, month=month, value=value
        )
    Measurement.objects.filter(month=1).update(updated_at=MICRO)

    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    OccasionLog.objects.create(occasion=occasion, action="lock", by=world.admin, reason="Klart.")
    ReminderSent.objects.create(occasion=occasion, user=world.reporter, day=date(2026, 9, 1))
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_a, locked_by=world.admin)
    OccasionLog.objects.create(
        occasion=occasion,
        unit_name=world.unit_a.name,
        action="reopen",
        by=world.admin,
        reason="Fel.",
    )
    Assessment.objects.create(goal=top, occasion=occasion, status="met", analysis="Bra.\nRad två.")
    SummaryAnalysis.objects.create(scorecard=card, occasion=occasion, text="Sammanfattning")
    Action.objects.create(goal=top, title="Byt lampor", owner="Fastighet", progress="Påbörjad")
    GoalStatus.objects.update_or_create(goal=mid, defaults={"status": "met"})
    version = AdoptedVersion.objects.create(
        scorecard=card, number=1, adopted_at=MICRO, adopted_by=world.admin, decision="KF, § 12",
        snapshot={"unit": {"name": "Staden"}, "perspectives": [{"goals": [{"title": "Mål"}]}]},
    )  # fmt: skip
    ChangeAfterAdoption.objects.create(
        scorecard=card, version=version, goal=top, kind="goal", object_id=top.pk,
        what="Mål: Ett klimatneutralt Staden (mål)", reason="Nytt beslut i nämnden.\nRad två.",
        by=world.editor, at=MICRO,
    )  # fmt: skip
    OccasionNames.objects.create(occasion=occasion, names={"units": {"1": "Staden"}})
    # update_or_create: the one settings row (pk 1) may be there already.
    SiteSettings.objects.update_or_create(
        pk=1,
        defaults={"name": "Exempelby", "designation": "kommun", "kolada_id": "",
                  "unit_kinds": ["kommun", "förvaltning"], "setup_completed_at": MICRO},
    )  # fmt: skip

    KoladaKpi.objects.create(
        id="N00001", title="Energi", unit="kWh", publication_date=date(2026, 2, 1)
    )
    city = KoladaMunicipality.objects.create(id="1283", title="Helsingborg", type="K")
    KoladaMunicipalityGroup.objects.create(id="G1", title="Liknande").members.add(city)
    KoladaValue.objects.create(
        kpi="N00001", municipality="1283", year=2025, gender="T", value=PRECISE
    )
    run = SyncRun.objects.create(
        started_at=MICRO, finished_at=MICRO + timedelta(microseconds=1), scope={"kpi": ["N00001"]}
    )
    SyncConflict.objects.create(
        run=run, indicator=energy, unit=world.city, year=2025, kolada_value=PRECISE,
        current_value=Decimal("1.5"), resolved_by=world.admin, resolved_at=MICRO,
    )  # fmt: skip
    BenchmarkRefresh.objects.create(
        kpi="N00001", municipalities=["1283", "0000"], status="failed", requested_by=world.editor,
        requested_at=MICRO, started_at=MICRO, finished_at=MICRO, error="Kolada svarade inte i tid.",
    )  # fmt: skip

    DBTaskResult.objects.create(
        args_kwargs={"args": [1.5, "å"], "kwargs": {"x": None, "big": 2**60}},
        task_path="reports.tasks.render", backend_name="default", run_after=MICRO,
        started_at=MICRO, return_value={"pages": 3}, exception_class_path="", traceback="",
    )  # fmt: skip
    AuditEntry.objects.create(
        event="login", user=world.admin, username="admin", ip_address="2001:db8::1",
        details={"nested": {"list": [1, 2.25, True, None]}, "text": "räksmörgås\u2028"},
    )  # fmt: skip
    ApiToken.issue(user=world.editor, name="Rapportrobot")
    ImportBatch.objects.create(
        scorecard=card, kind="values", year=2026, filename="värden.xlsx", created_by=world.editor,
        plan={"rows": [[1, "84.21828909"]]}, applied_at=MICRO,
    )  # fmt: skip
    attempt = AccessAttempt.objects.create(
        user_agent="curl", ip_address="10.0.0.1", username="x", http_accept="*/*",
        path_info="/login/", get_data="", post_data="username=x", failures_since_start=3,
    )  # fmt: skip
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=MICRO)
    AccessFailureLog.objects.create(user_agent="curl", http_accept="*/*", path_info="/login/")
    AccessLog.objects.create(
        user_agent="Firefox", http_accept="*/*", path_info="/", logout_time=MICRO
    )
    LogEntry.objects.create(
        user=world.admin, content_type=ContentType.objects.get_for_model(Measurement),
        object_id="1", object_repr="Energi", action_flag=ADDITION, change_message="[]",
    )  # fmt: skip
    _fill_economy(world)
    return world


def _fill_economy(world) -> None:
    """Issue 22's tables: the statement, mappings, amounts, a forecast comment, an import."""
    from economy import models as economy

    row = economy.StatementRow.objects.create(name="Personalkostnader", order=2)
    economy.AccountRule.objects.create(prefix="4", row=row)
    economy.ObjectMapping.objects.create(
        dimension=1, code="100", name="Förvaltning", unit=world.unit_a
    )
    economy.Amount.objects.create(
        unit=world.unit_a,
        row=row,
        year=2026,
        month=3,
        version="utfall",
        amount=Decimal("-1234567.89"),
    )
    economy.ForecastNote.objects.create(unit=world.unit_a, year=2026, month=3, comment="Prognos 🌞")
    economy.EconomyImport.objects.create(
        filename="ekonomi.se", year=2026, dimension=1, created_by=world.admin,
        summary={"totals": {"actual": {"4": "1.00"}}}, plan={"cells": []}, applied_at=MICRO,
    )  # fmt: skip


def _natural_keys() -> dict[str, dict[int, tuple]]:
    """Content types and permissions are made by migrate (and flush): compare them by name."""
    return {
        "contenttype": {c.pk: (c.app_label, c.model) for c in ContentType.objects.all()},
        "permission": {
            p.pk: (p.codename, p.content_type.app_label, p.content_type.model)
            for p in Permission.objects.select_related("content_type")
        },
    }


def stored_rows() -> dict[str, list[tuple]]:
    """Every row of every backed-up table exactly as stored, by plain SQL: on SQLite each value's
    storage class and value (a float compared by its exact repr), on PostgreSQL each value's text
    (numeric to its full scale, timestamps to the microsecond, jsonb as stored)."""
    names = _natural_keys()
    tables = {}
    for model in _included_models():
        fields = model._meta.local_concrete_fields
        quote = connection.ops.quote_name
        if connection.vendor == "sqlite":
            columns = ", ".join(f"typeof({quote(f.column)}), +{quote(f.column)}" for f in fields)
        else:
            columns = ", ".join(f"{quote(f.column)}::text" for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {quote(model._meta.db_table)}")  # noqa: S608
            rows = [_comparable(row, fields, names) for row in cursor.fetchall()]
        tables[model._meta.label_lower] = sorted(rows, key=repr)
    return tables


def _comparable(row, fields, names) -> tuple:
    width = 2 if connection.vendor == "sqlite" else 1
    values = []
    for i, field in enumerate(fields):
        cell = tuple(row[i * width : (i + 1) * width])
        value = cell[-1]
        if isinstance(value, float):
            cell = (*cell[:-1], repr(value))
        if field.is_relation and field.related_model in (ContentType, Permission) and value:
            kind = "contenttype" if field.related_model is ContentType else "permission"
            cell = (*cell[:-1], names[kind][int(value)])
        values.append(cell)
    return tuple(values)


def backup_flush_restore(path) -> None:
    call_command("backup", str(path), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not any(counts().values())
    call_command("restore", str(path), stdout=io.StringIO())


def test_every_row_of_every_table_comes_back_byte_for_byte(tmp_path):
    fill()
    before = stored_rows()
    empty = sorted(label for label, rows in before.items() if not rows)
    assert not empty, f"Fill these tables in fill() so the round trip covers them: {empty}"
    labels = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}
    skipped = {label for label in labels if label.split(".")[0] in EXCLUDED or label in EXCLUDED}
    assert set(before) == labels - skipped  # every table but content types, permissions, …
    assert "scorecards.goal_contributes_to" in before and "followup.historicalmeasurement" in before

    backup_flush_restore(tmp_path / "b.json.gz")

    after = stored_rows()
    for label in before:
        assert after[label] == before[label], label


def test_microseconds_and_every_stored_decimal_survive(tmp_path):
    fill()
    values = sorted(Measurement.objects.values_list("value", flat=True))
    backup_flush_restore(tmp_path / "b.json.gz")
    value = KoladaValue.objects.values_list("value", flat=True).get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM kolada_koladavalue")
        (stored,) = cursor.fetchone()
    if connection.vendor == "sqlite":  # the column keeps every decimal written to it
        assert Decimal(repr(stored)) == PRECISE
    else:  # numeric(18,4) rounds on writing, before any backup
        assert stored == value == Decimal("84.2183")
    assert Measurement.objects.get(month=1).updated_at == MICRO
    assert sorted(Measurement.objects.values_list("value", flat=True)) == values
    assert SyncRun.objects.get().finished_at.microsecond == 589794


def test_new_rows_get_new_ids_after_a_restore(tmp_path):
    """PostgreSQL's id sequences are moved past the restored ids (tables, m2m and history)."""
    world = fill()
    backup_flush_restore(tmp_path / "b.json.gz")
    measurement = Measurement.objects.filter(month=1).get()
    measurement.pk = None
    measurement.month = 4
    measurement.save()  # a new row and a new history row
    AuditEntry.objects.create(event="logout", username="admin")
    group = Group.objects.create(name="Nya")
    group.user_set.add(world.reader)
    assert Measurement.objects.count() == 4 and group.user_set.count() == 1


def test_the_backup_file_is_its_owners_only_from_the_start(tmp_path):
    World()
    path = tmp_path / "b.json.gz"
    path.write_text("an older file, readable by all")
    path.chmod(0o644)
    old = os.umask(0)  # even a permissive umask gives 0600
    try:
        call_command("backup", str(path), stdout=io.StringIO())
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["b.json.gz"]  # no temporary file left
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    users = next(t for t in data["tables"] if t["model"] == "auth.user")
    assert any(str(v).startswith("md5$") for row in users["rows"] for v in row)


def test_a_backup_that_fails_leaves_the_previous_file_and_no_other(tmp_path):
    """A value that cannot be written exactly stops the backup (SQLite stores any text in a
    datetime column; PostgreSQL would refuse it on writing)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses such a value on writing")
    World()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_user SET date_joined = 'igår' WHERE username = 'editor'")
    path = tmp_path / "b.json.gz"
    path.write_text("last night's backup")
    with pytest.raises(CommandError, match="auth.user"):
        call_command("backup", str(path), stdout=io.StringIO())
    assert [p.name for p in tmp_path.iterdir()] == ["b.json.gz"]
    assert path.read_text() == "last night's backup"


def test_a_backup_into_a_missing_folder_is_one_line(tmp_path):
    World()
    with pytest.raises(CommandError, match="kunde inte skrivas"):
        call_command("backup", str(tmp_path / "saknas" / "b.json.gz"), stdout=io.StringIO())
    assert not list(tmp_path.iterdir())


# ── A restore that fails: one line, exit status 1, an empty database ─────────────────────────


def _backup_data(tmp_path) -> dict:
    fill()
    path = tmp_path / "good.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def _write(path, data: dict) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f)


def _restore_on_the_command_line(path, capsys) -> str:
    """``manage.py restore PATH`` as an operator runs it: what it printed on stderr."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit:
        execute_from_command_line(["manage.py", "restore", str(path)])
    assert exit.value.code == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert not any(counts().values())  # rolled back: as empty as before
    return err


def test_a_broken_foreign_key_is_one_line_and_nothing_is_restored(tmp_path, capsys):
    data = _backup_data(tmp_path)
    goals = next(t for t in data["tables"] if t["model"] == "scorecards.goal")
    column = goals["columns"].index("scorecard_id")
    goals["rows"][0][column] = 999_999
    _write(tmp_path / "broken.json.gz", data)
    err = _restore_on_the_command_line(tmp_path / "broken.json.gz", capsys)
    assert "Återställningen misslyckades" in err and "scorecards_goal" in err


def test_a_truncated_file_is_one_line_and_nothing_is_restored(tmp_path, capsys):
    _backup_data(tmp_path)
    whole = (tmp_path / "good.json.gz").read_bytes()
    (tmp_path / "cut.json.gz").write_bytes(whole[: len(whole) // 2])
    err = _restore_on_the_command_line(tmp_path / "cut.json.gz", capsys)
    assert "ingen hel Styrkort-säkerhetskopia" in err


def test_missing_rows_are_one_line_and_nothing_is_restored(tmp_path, capsys):
    data = _backup_data(tmp_path)
    next(t for t in data["tables"] if t["model"] == "followup.measurement")["rows"].pop()
    _write(tmp_path / "short.json.gz", data)
    err = _restore_on_the_command_line(tmp_path / "short.json.gz", capsys)
    assert "ofullständig" in err and "followup.measurement" in err


@pytest.mark.parametrize(
    ("model", "column", "value"),
    [
        ("followup.measurement", "value", "inte ett tal"),
        ("followup.measurement", "updated_at", "igår"),
        ("scorecards.goal", "title", 12),
        ("audit.auditentry", "details", "{inte json"),
    ],
)
def test_a_bad_value_is_one_line_and_nothing_is_restored(tmp_path, capsys, model, column, value):
    data = _backup_data(tmp_path)
    table = next(t for t in data["tables"] if t["model"] == model)
    table["rows"][0][table["columns"].index(column)] = value
    _write(tmp_path / "bad.json.gz", data)
    err = _restore_on_the_command_line(tmp_path / "bad.json.gz", capsys)
    assert "Återställningen misslyckades" in err


def test_a_version_1_backup_still_restores(tmp_path):
    """Files written before version 2 (Django's dumpdata) are still read."""
    fill()
    before = counts()
    objects = io.StringIO()
    call_command(
        "dumpdata", *[f"--exclude={label}" for label in EXCLUDED], natural_foreign=True,
        use_base_manager=True, format="json", stdout=objects,
    )  # fmt: skip
    migrations = json.loads(_header_of_a_new_backup(tmp_path))["migrations"]
    data = {"format": "styrkort-backup", "version": 1, "migrations": migrations}
    data["objects"] = json.loads(objects.getvalue())
    _write(tmp_path / "v1.json.gz", data)
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(tmp_path / "v1.json.gz"), stdout=io.StringIO())
    assert counts() == before


def _header_of_a_new_backup(tmp_path) -> str:
    call_command("backup", str(tmp_path / "new.json.gz"), stdout=io.StringIO())
    with gzip.open(tmp_path / "new.json.gz", "rt", encoding="utf-8") as f:
        return json.dumps({k: v for k, v in json.load(f).items() if k != "tables"})
