"""Queue a background job for the worker: what a timer (cron, systemd) runs every night."""

from django.core.management.base import BaseCommand

from core.jobs import JOBS, enqueue_job


class Command(BaseCommand):
    help = "Lägger ett jobb i kön åt arbetaren (manage.py run_worker)."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(JOBS), help="Jobbet som ska köas.")
        parser.add_argument("--days", type=int, help="reminders: dagar fram till sista dag.")
        parser.add_argument("--full", action="store_true", help="kolada_sync: hämta alla år.")

    def handle(self, *args, name: str, days: int | None, full: bool, **options):
        kwargs = {}
        if name == "reminders" and days is not None:
            kwargs["days"] = days
        if name == "kolada_sync" and full:
            kwargs["full"] = True
        result = enqueue_job(name, **kwargs)
        self.stdout.write(f"{JOBS[name][1]}: köat som {result.id} ({result.status}).")
