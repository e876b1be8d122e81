"""Queue again the jobs a worker left "running" when it died (killed, machine lost power).

Run it right before a worker starts, with the id that worker will use (the systemd unit and
``make worker`` do): ``manage.py recover_jobs --worker-id web1-worker``. ``--older-than`` takes
back jobs of any worker that have run longer than that many minutes.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from core.jobs import recover_orphans


class Command(BaseCommand):
    help = "Lägger tillbaka jobb som en avbruten arbetare lämnade som pågående."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", help="Arbetarens id (samma som db_worker --worker-id).")
        parser.add_argument("--older-than", type=int, metavar="MINUTES")

    def handle(self, *args, worker_id: str | None, older_than: int | None, **options):
        if not worker_id and older_than is None:
            raise CommandError("Ange --worker-id eller --older-than.")
        n = recover_orphans(
            worker_id=worker_id,
            older_than=timedelta(minutes=older_than) if older_than is not None else None,
        )
        self.stdout.write(f"Jobb som lagts tillbaka i kön: {n}")
