"""``manage.py benchmark --scale large --db sqlite``: measure pages, imports and memory here."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from bench.measure import Budget, find_targets, run, write_json
from bench.report import format_table

RESULTS = Path(settings.BASE_DIR) / "bench" / "results"


class Command(BaseCommand):
    help = (
        "Mäter svarstider (median, p95), antal SQL-frågor, import och minne på den stad som finns "
        "i databasen, och skriver tabell och JSON (bench/results/<db>-<skala>.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="unknown", help="namnet på skalan, för rapporten")
        parser.add_argument("--db", help="namnet på databasen, för rapporten (standard: motorn)")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--budget", type=float, default=20.0, help="sekunder per sida")
        parser.add_argument(
            "--imports", default="10000,100000", help="antal värden per import, kommaseparerat"
        )
        parser.add_argument(
            "--import-limit",
            type=float,
            default=300.0,
            help="hoppa över en import som med förra importens takt skulle ta längre (sekunder)",
        )
        parser.add_argument("--no-pdf", action="store_true")
        parser.add_argument(
            "--no-pages", action="store_true", help="bara importerna (och baslinjen)"
        )
        parser.add_argument("--out", help="JSON-fil (standard bench/results/<db>-<skala>.json)")
        parser.add_argument(
            "--targets", help="skriv bara målen (id:n för sidor och konton) som JSON hit"
        )
        parser.add_argument(
            "--api-writers",
            type=int,
            default=0,
            help="med --targets: ge så många rapportörer en API-nyckel för lasttestets skrivare",
        )

    def handle(self, *args, **o):
        if o["targets"]:
            targets = find_targets()
            if o["api_writers"]:
                from bench.writers import issue_writers

                targets["writers"] = issue_writers(o["api_writers"], targets["year"])
                # Page reporters keep off the writers' units (see bench/writers.py).
                writing = {w["username"] for w in targets["writers"]}
                targets["reporters"] = [
                    r for r in targets["reporters"] if r["username"] not in writing
                ]
            Path(o["targets"]).write_text(json.dumps(targets, indent=2), encoding="utf-8")
            return
        from django.db import connection

        from core.runtime import tune_gc_for_serving

        tune_gc_for_serving()  # as config/wsgi.py does in every served worker
        db = o["db"] or connection.vendor
        imports = tuple(int(n) for n in o["imports"].split(",") if n.strip())
        result = run(
            scale=o["scale"],
            db=db,
            budget=Budget(repeat=o["repeat"], seconds=o["budget"]),
            imports=imports,
            pdf=not o["no_pdf"],
            import_limit=o["import_limit"],
            measure_pages=not o["no_pages"],
            progress=self.stdout.write,
        )
        out = Path(o["out"]) if o["out"] else RESULTS / f"{db}-{o['scale']}.json"
        write_json(result, out)
        self.stdout.write("\n" + format_table(result) + "\n")
        self.stdout.write(f"JSON: {out}")
