"""Remind reporters of missing values before a follow-up occasion's deadline.

Run it once a day (cron, systemd timer or the task queue); the rules are in followup/reminders.py.
"""

from django.core.management.base import BaseCommand, CommandError

from followup.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Skickar påminnelser om saknade utfall till rapportörer och redaktörer inför "
        "uppföljningstillfällen med sista dag inom --days dagar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="Dagar fram till sista dag (standard 7)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Skriv ut e-posten i stället för att skicka."
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 0:
            raise CommandError("--days kan inte vara negativt.")
        summary = send_reminders(days=days, dry_run=dry_run, write=self.stdout.write)
        lines = [
            f"Uppföljningstillfällen med sista dag inom {days} dagar: {summary.occasions}",
            f"Styrkort med saknade utfall: {summary.scorecards}",
            f"Påminnelser: {summary.reminders}",
            "Torrkörning: ingen e-post skickades."
            if dry_run
            else f"Skickad e-post: {summary.sent}",
        ]
        if summary.already_sent:
            lines.append(f"Redan skickade i dag (hoppades över): {summary.already_sent}")
        if summary.failed:
            lines.append(f"E-post som inte kunde skickas: {summary.failed}")
        if summary.without_email:
            names = ", ".join(sorted(summary.without_email))
            lines.append(
                f"Mottagare utan e-postadress (hoppades över): {len(summary.without_email)} ({names})"
            )
        if summary.without_recipient:
            lines.append(
                "Styrkort utan någon rapportör eller redaktör att påminna: "
                + ", ".join(summary.without_recipient)
            )
        self.stdout.write("\n".join(lines))
