"""Backup and restore of all data: one gzip-compressed JSON file, consistent and versioned.

The file (``FORMAT``, version ``VERSION``) is a JSON object::

    {"format": "styrkort-backup", "version": 1, "created": "2026-05-02T03:00:00+00:00",
     "database": "postgresql", "migrations": {"scorecards": ["0001_initial", …], …},
     "counts": {"scorecards.goal": 412, …}, "objects": [ …Django's serialised objects… ]}

``objects`` is what ``manage.py dumpdata`` writes, with natural keys for content types and
permissions (they are created by ``migrate`` and may get other ids in a new database) and the
database ids of everything else, so ids published as open data survive a restore. Content types,
permissions and sessions are left out; the change history (django-simple-history) and the audit
log are data and are kept.

Consistency: everything is read inside one transaction. On PostgreSQL it is REPEATABLE READ, so
every table is read at the same instant while others keep writing; on SQLite the transaction
holds the write lock, so writers wait for the seconds the dump takes. The format is the same on
both, so a backup of one restores into the other.

Restore loads into an empty database (``migrate``, and nothing else yet) with ``loaddata``, so
constraints are checked and PostgreSQL's id sequences are moved past the loaded ids. A backup
whose migrations the database does not have yet (made by a newer version) is refused.
"""

import gzip
import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "styrkort-backup"
VERSION = 1
# Made anew by migrate, or (RollupChange) a record of recounts rather than data: a restored
# database starts its roll-up versions afresh.
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "followup.rollupchange")


def _included_models():
    for model in apps.get_models():
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
    """Rows per model that a backup holds: to compare a database before and after."""
    return {m._meta.label_lower: m._base_manager.using(using).count() for m in _included_models()}


def backup_write(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write every row to ``path`` (gzip JSON), read in one consistent snapshot; the counts."""
    connection = connections[using]
    with gzip.open(path, "wt", encoding="utf-8") as out, transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # must come first in the transaction
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        numbers = counts(using)
        head = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "migrations": _applied_migrations(using),
            "counts": numbers,
        }
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "objects": ')
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in EXCLUDED],
            natural_foreign=True,
            use_base_manager=True,
            format="json",
            database=using,
            stdout=out,
        )
        out.write("}\n")
    return numbers


def read(path: Path | str) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, EOFError, ValueError) as error:
        raise CommandError(f"{path} is not a Styrkort backup: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CommandError(f"{path} is not a Styrkort backup.")
    if data.get("version") != VERSION:
        raise CommandError(
            f"{path} is backup format version {data.get('version')}; this version reads {VERSION}."
        )
    return data


def backup_restore(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Load a backup into an empty, migrated database, all or nothing; the counts loaded."""
    data = read(path)
    applied = _applied_migrations(using)
    missing = [
        f"{app}.{name}"
        for app, names in data["migrations"].items()
        for name in names
        if name not in applied.get(app, [])
    ]
    if missing:
        raise CommandError(
            "The backup was made by a newer version: run migrate first, or restore with the "
            f"version that made it. Missing migrations: {', '.join(missing[:10])}"
        )
    filled = {label: n for label, n in counts(using).items() if n}
    if filled:
        raise CommandError(
            "The database is not empty, so nothing was restored. Restore into a new database "
            "(migrate, then restore), or empty this one with flush first. Rows found in: "
            + ", ".join(sorted(filled)[:10])
        )
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "backup.json"
        fixture.write_text(json.dumps(data["objects"], ensure_ascii=False), encoding="utf-8")
        del data["objects"]
        with transaction.atomic(using=using):
            call_command("loaddata", str(fixture), database=using, verbosity=0)
    return counts(using)
