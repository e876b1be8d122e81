"""Load Kolada's KPI catalogue: from the shipped CSV (default), another file, or the API."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kolada.catalogue import SHIPPED_CATALOGUE, CatalogueError, catalogue_load, read_csv
from kolada.client import KoladaClient, KoladaError


class Command(BaseCommand):
    help = "Laddar Koladas KPI-katalog (för KPI-väljaren) från CSV-fil eller från Kolada."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-file",
            type=Path,
            default=SHIPPED_CATALOGUE,
            help="CSV med Koladas KPI-fält (standard: den medföljande katalogen).",
        )
        parser.add_argument(
            "--refresh", action="store_true", help="Hämta hela katalogen från Kolada i stället."
        )
        parser.add_argument(
            "--keep-missing",
            action="store_true",
            help="Behåll KPI:er som inte längre finns i katalogen.",
        )

    def handle(self, *args, from_file: Path, refresh: bool, keep_missing: bool, **options):
        try:
            if refresh:
                self.stdout.write("Hämtar KPI-katalogen från Kolada …")
                with KoladaClient() as client:
                    records = client.kpis()
            else:
                self.stdout.write(f"Läser {from_file} …")
                records = read_csv(from_file)
            result = catalogue_load(records=records, prune=not keep_missing)
        except (CatalogueError, KoladaError) as error:
            raise CommandError(f"Katalogen laddades inte: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.loaded} KPI:er laddade, {result.removed} borttagna som inte längre finns."
            )
        )
