"""Remind the writers of unfinished report sections before the reports' deadlines.

Run it once a day beside ``send_reminders`` (cron, systemd timer); the rules are in
yearreports/reminders.py, the recipients those of followup/reminders.py.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.models import FollowUpOccasion
from yearreports.reminders import send_section_reminders


class Command(BaseCommand):
    help = (
        "Skickar påminnelser om ej klarmarkerade rapportavsnitt till skribenterna inför "
        "rapporter med sista dag inom --days dagar (och efter den, så länge rapporten skrivs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="Dagar fram till sista dag (standard 7)."
        )

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days kan inte vara negativt.")
        until = timezone.localdate() + timedelta(days=days)
        occasions = FollowUpOccasion.objects.filter(
            reports__state="writing", reports__deadline__lte=until
        ) | FollowUpOccasion.objects.filter(
            reports__state="writing", reports__deadline__isnull=True, deadline__lte=until
        )
        sent = failed = 0
        for occasion in occasions.distinct():
            result = send_section_reminders(occasion)
            sent, failed = sent + result.sent, failed + result.failed
        self.stdout.write(f"Skickad e-post: {sent}")
        if failed:
            self.stdout.write(f"E-post som inte kunde skickas: {failed}")
