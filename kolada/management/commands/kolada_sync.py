"""Fetch actual values from Kolada for every Kolada-linked indicator and report what changed."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kolada.sync import kolada_sync


class Command(BaseCommand):
    help = (
        "Hämtar utfall från Kolada för alla mätetal med Kolada-KPI och fyller jämförelsecachen. "
        "Fortsätter från senaste lyckade körning om inget annat anges."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-date",
            type=date.fromisoformat,
            help="Hämta ändringar sedan detta datum (ÅÅÅÅ-MM-DD).",
        )
        parser.add_argument(
            "--full", action="store_true", help="Hämta alla år, inte bara ändringar."
        )

    def handle(self, *args, from_date: date | None, full: bool, **options):
        if from_date and full:
            raise CommandError("Ange antingen --from-date eller --full, inte båda.")
        report = kolada_sync(from_date=from_date, full=full, progress=self.stdout.write)
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
