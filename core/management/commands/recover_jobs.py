"""Queue again the jobs a worker left "running" when it died (killed, machine lost power).

``manage.py run_worker`` does this itself at its start (for its own id) and for workers whose
heartbeat went silent; this command is for a plain ``db_worker`` and by hand:
``manage.py recover_jobs --worker-id web1-worker``. ``--older-than`` takes back jobs of any
worker that have run longer than that many minutes.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from core.jobs import recover_orphans


class Command(BaseCommand):
    help = "Lägger tillbaka jobb som en avbruten arbetare lämnade som pågående."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", help="Arbetarens id (samma som run_worker --worker-id).")
        parser.add_argument("--older-than", type=int, metavar="MINUTES")

    def handle(self, *args, worker_id: str | None, older_than: int | None, **options):
        if not worker_id and older_than is None:
            raise CommandError("Ange --worker-id eller --older-than.")
        n = recover_orphans(
            worker_id=worker_id,
            older_than=timedelta(minutes=older_than) if older_than is not None else None,
        )
        self.stdout.write(f"Jobb som lagts tillbaka i kön: {n}")
