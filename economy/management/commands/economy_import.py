"""``manage.py economy_import FILE [--dry-run] [--format json]``: a SIE (types 2-4) or CSV file.

With ``--dry-run`` nothing is written and the summary is printed — as one JSON object with
``--format json`` (see economy.sie.summary for its fields). Without it the file is imported
all or nothing through the same path as the upload page (economy.importing).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from economy.importing import read_file
from economy.sie import SieError


class Command(BaseCommand):
    help = "Importerar ekonomi från en SIE-fil (typ 2-4) eller CSV; --dry-run skriver inget."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="skriv inget, visa sammanfattningen"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--dimension", type=int, default=None, help="dimensionen vars objekt är enheter"
        )
        parser.add_argument("--unit", default="", help="enhetskod för belopp utan objekt (SIE 2)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan inte läsa {path}: {exc.strerror}") from None
        try:
            parsed = read_file(data)
        except SieError as exc:
            raise CommandError(str(exc)) from None
        if options["dry_run"]:
            self._print(parsed.summary(), options["format"])
            return
        from economy.importing import import_file

        try:
            result = import_file(
                parsed,
                filename=path.name,
                dimension=options["dimension"],
                unit_code=options["unit"],
            )
        except SieError as exc:
            raise CommandError(str(exc)) from None
        self._print(result, options["format"])

    def _print(self, data: dict, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}: {json.dumps(value, ensure_ascii=False)}")
