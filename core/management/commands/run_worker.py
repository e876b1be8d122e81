"""``manage.py run_worker --worker-id web1-worker``: the background worker (``core/worker.py``).

The options of django-tasks-db's ``db_worker`` (queues, interval, ``--batch``, ``--max-tasks``),
plus a heartbeat and waiting out a database outage instead of exiting. It queues again, first,
whatever a killed worker with the same id left running, so no separate ``recover_jobs`` step is
needed before it.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.worker import Worker


class Command(db_worker.Command):
    help = (
        "Kör köade jobb och fortsätter när databasen har varit borta; skriver ett livstecken "
        "som /readyz och /metrics visar."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)  # a worker in production; --reload while developing
        parser.add_argument(
            "--heartbeat-every",
            type=db_worker.valid_interval,
            default=10,
            metavar="SECONDS",
            help="Livstecken så här ofta (standard 10 s; 0: bara mellan jobben).",
        )
        parser.add_argument(
            "--max-backoff",
            type=db_worker.valid_interval,
            default=30,
            metavar="SECONDS",
            help="Längsta väntan mellan försöken när databasen inte svarar (standard 30 s).",
        )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, heartbeat_every,
               max_backoff, **options):  # fmt: skip
        # Logging is the project's (JSON lines, config/settings.py), not db_worker's own setup.
        worker = Worker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            heartbeat_every=heartbeat_every,
            max_backoff=max_backoff,
        )
        if reload and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
