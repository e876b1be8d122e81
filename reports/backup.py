"""Backup and restore of all data: one gzip-compressed JSON file, consistent, lossless, versioned.

The file (``FORMAT``, version ``VERSION``) is a JSON object::

    {"format": "styrkort-backup", "version": 2, "created": "2026-05-02T03:00:00.123456+00:00",
     "database": "postgresql", "migrations": {"scorecards": ["0001_initial", …], …},
     "counts": {"scorecards.goal": 412, …},
     "tables": [{"model": "scorecards.goal", "columns": ["id", "scorecard_id", …],
                 "rows": [[1, 1, …], …]}, …]}

One entry in ``tables`` per table of every installed model — many-to-many tables and the change
history (django-simple-history) and audit log included — with every row as stored, by plain SQL
(``reports/backup_values.py`` says how each kind of value is written: datetimes to the
microsecond, decimals exactly as stored) and the database ids, so ids published as open data
survive a restore. Left out (``EXCLUDED``): content types and permissions (``migrate`` makes them;
references to them are written as natural keys), sessions, roll-up change records and the
workers' heartbeats.

Consistency: everything is read inside one transaction. On PostgreSQL it is REPEATABLE READ, so
every table is read at the same instant while others keep writing; on SQLite the transaction
holds the write lock, so writers wait for the seconds the dump takes. The format is the same on
both, so a backup of one restores into the other. The file holds password hashes: it is created
readable and writable by its owner only (mode 0600), under a temporary name, and renamed into
place when complete.

Restore loads into an empty database (``migrate``, and nothing else yet) in one transaction:
foreign keys and the header's row counts are checked before it commits, PostgreSQL's id
sequences are moved past the loaded ids, and anything wrong rolls it all back, so the database is
left as empty as it was. A backup whose migrations the database does not have yet (made by a
newer version) is refused. Version 1 files (Django's ``dumpdata``) are still read.
"""

import gzip
import io
import json
import os
import tempfile
import zlib
from decimal import InvalidOperation
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .backup_values import BackupValueError, Dumper, Loader, column_kind, select_expression

FORMAT = "styrkort-backup"
VERSION = 2
READS = (1, 2)
# Made anew by migrate, or (RollupChange) a record of recounts rather than data: a restored
# database starts its roll-up versions afresh. Workers' heartbeats describe processes, not data:
# restored, they would report workers that do not run there.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "followup.rollupchange",
    "core.workerheartbeat",
)
BATCH = 1000  # rows per fetch and per INSERT


def _included_models():
    """Every installed model's table, many-to-many tables included, each once."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED:
            continue
        yield model


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per table that a backup holds: to compare a database before and after."""
    return {m._meta.label_lower: m._base_manager.using(using).count() for m in _included_models()}


# ── Backup ───────────────────────────────────────────────────────────────────────────────────


def backup_write(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write every row to ``path`` (gzip JSON, mode 0600), read in one consistent snapshot; the
    counts. The file appears at ``path`` only when complete."""
    path = Path(path)
    # mkstemp creates the file with mode 0600: the hashes are never readable by others, not even
    # for the moment a chmod after writing would leave open.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as raw:
            with (
                gzip.GzipFile(filename=path.name, mode="wb", fileobj=raw) as zipped,
                io.TextIOWrapper(zipped, encoding="utf-8", newline="\n") as out,
            ):
                numbers = _write(out, using)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return numbers


def _write(out, using: str) -> dict[str, int]:
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # must come first in the transaction
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        numbers = counts(using)
        head = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": _applied_migrations(using),
            "counts": numbers,
        }
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',\n"tables": [')
        dumper = Dumper(connection)
        for index, model in enumerate(_included_models()):
            out.write(",\n" if index else "\n")
            _write_table(out, model, connection, dumper)
        out.write("\n]}\n")
    return numbers


def _write_table(out, model, connection, dumper: Dumper) -> None:
    meta = model._meta
    fields = list(meta.local_concrete_fields)
    try:
        kinds = [column_kind(f) for f in fields]
    except BackupValueError as error:
        raise CommandError(f"Säkerhetskopian avbröts: {error}") from None
    key = fields.index(meta.pk)
    quote = connection.ops.quote_name
    columns = ", ".join(select_expression(f.column, connection) for f in fields)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}"  # noqa: S608 - names from the models only
    names = json.dumps([f.column for f in fields])
    out.write(f'{{"model": {json.dumps(meta.label_lower)}, "columns": {names}, "rows": [')
    first = True
    # A server-side cursor on PostgreSQL, so a large table is not held in memory at once.
    chunked = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if chunked else connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(BATCH):
            for row in rows:
                try:
                    values = [dumper.value(k, v) for k, v in zip(kinds, row, strict=True)]
                except (ValueError, TypeError, KeyError) as error:
                    raise CommandError(
                        f"Säkerhetskopian avbröts: raden {row[key]} i {meta.label_lower} kan "
                        f"inte skrivas exakt: {_one_line(error)}"
                    ) from None
                out.write(("\n" if first else ",\n") + json.dumps(values, ensure_ascii=False))
                first = False
    out.write("]}")


# ── Restore ──────────────────────────────────────────────────────────────────────────────────


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def read(path: Path | str) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, EOFError, ValueError, zlib.error) as error:
        raise CommandError(
            f"{path} är ingen hel Styrkort-säkerhetskopia: {_one_line(error)}"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CommandError(f"{path} är ingen Styrkort-säkerhetskopia.")
    if data.get("version") not in READS:
        raise CommandError(
            f"{path} har formatversion {data.get('version')}; den här versionen läser "
            f"{', '.join(map(str, READS))}."
        )
    if not isinstance(data.get("migrations"), dict) or not isinstance(
        data.get("tables" if data["version"] > 1 else "objects"), list
    ):
        raise CommandError(f"{path} är ingen hel Styrkort-säkerhetskopia: delar saknas.")
    return data


def backup_restore(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Load a backup into an empty, migrated database, all or nothing; the counts loaded.

    Every failure is a ``CommandError`` of one line, and leaves the database as it was: empty."""
    data = read(path)
    _refuse_newer(data, using)
    filled = {label: n for label, n in counts(using).items() if n}
    if filled:
        raise CommandError(
            "Databasen är inte tom, så ingenting återställdes. Återställ i en ny databas "
            "(migrate, sedan restore), eller töm den här med flush först. Rader finns i: "
            + ", ".join(sorted(filled)[:10])
        )
    try:
        with transaction.atomic(using=using):
            if data["version"] == 1:
                _load_v1(data, using)
            else:
                _load(data, using)
    except (
        DatabaseError,
        DeserializationError,
        BackupValueError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        InvalidOperation,
    ) as error:
        raise CommandError(
            f"Återställningen misslyckades och ingenting sparades (databasen är tom): "
            f"{_one_line(error)}"
        ) from None
    return counts(using)


def _refuse_newer(data: dict, using: str) -> None:
    applied = _applied_migrations(using)
    missing = [
        f"{app}.{name}"
        for app, names in data["migrations"].items()
        for name in (names if isinstance(names, list) else [names])
        if name not in applied.get(app, [])
    ]
    if missing:
        raise CommandError(
            "Säkerhetskopian gjordes av en nyare version: kör migrate först, eller återställ med "
            f"versionen som gjorde den. Migreringar som saknas: {', '.join(missing[:10])}"
        )


def _load(data: dict, using: str) -> None:
    connection = connections[using]
    models = {m._meta.label_lower: m for m in _included_models()}
    loader = Loader(connection)
    loaded = []
    for table in data["tables"]:
        model = models.get(table["model"])
        if model is None:  # a model removed since the backup was made: nowhere to put it
            continue
        _load_table(model, table["columns"], table["rows"], connection, loader)
        loaded.append(model)
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    expected = data.get("counts", {})
    found = counts(using)
    wrong = [label for label in found if label in expected and expected[label] != found[label]]
    if wrong:
        raise BackupValueError(
            f"filen är ofullständig: raderna stämmer inte med huvudet för {', '.join(wrong[:5])}"
        )
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(sql)


def _load_table(model, columns: list, rows: list, connection, loader: Loader) -> None:
    """INSERT the rows as they were; a column the backup lacks (added since) gets its default."""
    meta = model._meta
    fields = {f.column: f for f in meta.local_concrete_fields}
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise BackupValueError(f"{meta.label_lower}: kolumner eller rader saknas")
    taken = [(i, fields[c]) for i, c in enumerate(columns) if c in fields]
    added = [f for c, f in fields.items() if c not in columns]
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in added]
    kinds = [column_kind(f) for _, f in taken]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in [*(f for _, f in taken), *added])
    marks = ", ".join(["%s"] * (len(taken) + len(added)))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from the models only
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = []
            for row in rows[start : start + BATCH]:
                if not isinstance(row, list) or len(row) != len(columns):
                    raise BackupValueError(f"{meta.label_lower}: en rad har fel antal värden")
                values = [loader.value(k, row[i]) for k, (i, _) in zip(kinds, taken, strict=True)]
                batch.append([*values, *defaults])
            cursor.executemany(sql, batch)


def _load_v1(data: dict, using: str) -> None:
    """A version 1 file: Django's serialised objects, loaded by ``loaddata``."""
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "backup.json"
        fixture.write_text(json.dumps(data.pop("objects"), ensure_ascii=False), encoding="utf-8")
        call_command("loaddata", str(fixture), database=using, verbosity=0)
