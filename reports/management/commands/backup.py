"""manage.py backup [FILE] — all data, consistent, lossless and versioned, as gzip-compressed JSON
readable by its owner only (it holds password hashes)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.backup import backup_write


class Command(BaseCommand):
    help = "Write all data to a gzip-compressed JSON backup, mode 0600 (see reports/backup.py)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="Where to write; default styrkort-backup-<date-time>.json.gz here.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        name = options["file"] or f"styrkort-backup-{timezone.now():%Y%m%d-%H%M%S}.json.gz"
        path = Path(name)
        try:
            numbers = backup_write(path, using=options["database"])
        except OSError as error:  # a missing folder, a full disk: one line, not a traceback
            raise CommandError(f"Säkerhetskopian kunde inte skrivas till {path}: {error}") from None
        self.stdout.write(
            f"Säkerhetskopian skrevs till {path}: {sum(numbers.values())} rader från "
            f"{len(numbers)} tabeller, {path.stat().st_size} byte."
        )
