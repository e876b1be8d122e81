"""``manage.py load_demo``: load the demo city (safe to run again) and print the demo sign-ins.

The demo makes accounts with a well-known password, so with DEBUG off (the production profile: a
real installation) it refuses unless ``--force`` says that is really meant.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.city import load


class Command(BaseCommand):
    help = "Läser in demostaden (Helsingborgs stad) och skriver ut demoinloggningarna."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Läs in demostaden även när DEBUG är av (produktionsprofilen).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG är av, så det här ser ut som en riktig installation: demostaden lägger "
                "till påhittade enheter, mål och värden och konton med ett känt lösenord. "
                "Inget har ändrats. Kör med --force om du verkligen vill läsa in den här."
            )
        sign_ins = load()
        self.stdout.write(self.style.SUCCESS("Demostaden är inläst."))
        header = ("Användarnamn", "Lösenord", "Roll", "Enhet")
        widths = [max(len(row[i]) for row in [header, *sign_ins]) for i in range(len(header))]
        for row in [header, tuple("-" * w for w in widths), *sign_ins]:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
