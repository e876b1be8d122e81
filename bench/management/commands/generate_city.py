"""``manage.py generate_city --scale large``: fill an empty database with a synthetic city."""

import json
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError

from bench.generate import SCALE_NAMES, SCALES, generate_city
from organisation.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Fyller en tom databas med en syntetisk stad för prestandamätning: small = demostaden, "
        "medium ≈ 100 enheter, large ≈ 1 000 enheter i fem nivåer och ≈ 3,7 miljoner utfall."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALE_NAMES, required=True)
        parser.add_argument("--years", type=int, help="år med månadsvärden (standard 10)")
        parser.add_argument(
            "--scorecard-years", type=int, help="år med styrkort, till och med i år (standard 2)"
        )
        parser.add_argument("--seed", default="styrkort-bench")
        parser.add_argument("--json", help="skriv antal och tider som JSON till den här filen")
        parser.add_argument(
            "--no-followup",
            action="store_true",
            help="utan bedömningar, sammanfattningar, prognoser och aktiviteter",
        )

    def handle(self, *args, scale, years, scorecard_years, seed, json: str | None, **options):
        followup = not options.get("no_followup")
        if scale == "small":
            result = self._demo()
        else:
            if OrgUnit.objects.exists():
                raise CommandError(
                    "Databasen innehåller redan enheter. Generera i en tom databas, t.ex. "
                    "DATABASE_URL=sqlite:///data/bench/large.sqlite3 manage.py migrate först."
                )
            chosen = SCALES[scale]
            if years:
                chosen = replace(chosen, years=years)
            if scorecard_years:
                chosen = replace(chosen, scorecard_years=scorecard_years)
            result = generate_city(chosen, seed=seed, progress=self.stdout.write, followup=followup)
        if json:
            _write_json(json, result)
        self.stdout.write(self.style.SUCCESS(f"Klart på {result['seconds']} s."))

    def _demo(self) -> dict:
        import time

        from demo.city import load

        started = time.perf_counter()
        load()
        seconds = round(time.perf_counter() - started, 1)
        self.stdout.write(f"small: demostaden inläst ({seconds} s)")
        return {"scale": "small", "seconds": seconds}


def _write_json(path: str, result: dict) -> None:
    from pathlib import Path

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
