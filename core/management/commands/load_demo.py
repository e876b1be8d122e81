"""``manage.py load_demo``: load the demo city (safe to run again) and print the demo sign-ins."""

from django.core.management.base import BaseCommand

from core.demo import load


class Command(BaseCommand):
    help = "Läser in demostaden (Helsingborgs stad) och skriver ut demoinloggningarna."

    def handle(self, *args, **options):
        sign_ins = load()
        self.stdout.write(self.style.SUCCESS("Demostaden är inläst."))
        header = ("Användarnamn", "Lösenord", "Roll", "Enhet")
        widths = [max(len(row[i]) for row in [header, *sign_ins]) for i in range(len(header))]
        for row in [header, tuple("-" * w for w in widths), *sign_ins]:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
