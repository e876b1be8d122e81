"""Background jobs: the retry policy, the queue's state, and recovery after a worker died.

Jobs run through django-tasks. By default (``TASKS_BACKEND=database``) a job is a row in the
database (django-tasks-db's ``DBTaskResult``) and ``manage.py run_worker`` runs it: no extra
server, and a queued job survives a restart of the worker or of the whole machine. docs/
deployment.md says how to move to a broker when a city needs one.

Retry policy (django-tasks has none of its own): a job decorated with ``@retrying(attempts=N)``
that raises is recorded as failed with its error, and a new job with the same arguments is queued
to run after 1, 2, 4 … minutes (``backoff`` doubled each time) until N attempts have been made.
A job that must not be repeated once it has had an effect (e-mail) decides itself when to raise.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection
from datetime import timedelta
from typing import Any

from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskContext, TaskResultStatus, task_backends

log = logging.getLogger(__name__)

# The jobs that can be queued by name (``manage.py enqueue_job NAME``, the operations page):
# name → (task's module path, Swedish label).
JOBS = {
    "kolada_sync": ("kolada.tasks.kolada_sync_task", _("Kolada-synkronisering")),
    "reminders": ("followup.tasks.send_reminders_task", _("Påminnelser om saknade utfall")),
}
JOB_LABELS = {path: label for path, label in JOBS.values()} | {
    "reports.tasks.scorecard_pdf_task": _("PDF-rapport för ett styrkort"),
    "reports.tasks.import_apply_task": _("Import av utfall eller målvärden"),
    "kolada.tasks.benchmark_refresh_task": _("Kolada-jämförelse för en KPI"),
    "followup.tasks.send_occasion_reminders_task": _("Påminnelser till dem som är sena"),
    "yearreports.tasks.report_file_task": _("PDF eller Word-fil av en rapport"),
    "reports.tasks.followup_pdf_task": _("PDF-rapport för en uppföljning"),
}


# Sent with ``job_ids`` when recovery queues again jobs whose worker died, so an app can close
# what those jobs left half done (kolada: their sync runs).
jobs_recovered = Signal()


class JobFailed(Exception):
    """A job that finished without doing its work; the message says why (in Swedish)."""


def retrying(*, attempts: int = 3, backoff: timedelta = timedelta(minutes=1)):
    """Queue a failed job again, up to ``attempts`` runs in all, with a doubling delay.

    Put it under ``@task()``: the task gets a keyword ``attempt`` (1 for the first run).
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt < attempts:
                    _queue_retry(func, args, kwargs, attempt=attempt, backoff=backoff)
                else:
                    log.error("Job %s failed after %d attempts", func.__qualname__, attempt)
                raise

        run.retry_attempts = attempts
        return run

    return decorate


def _queue_retry(func, args, kwargs, *, attempt: int, backoff: timedelta) -> None:
    delay = backoff * 2 ** (attempt - 1)
    # A task that takes its context gets it first; the next attempt gets a context of its own.
    args = tuple(a for a in args if not isinstance(a, TaskContext))
    try:
        task = import_string(f"{func.__module__}.{func.__qualname__}")
        if task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + delay)
        task.enqueue(*args, attempt=attempt + 1, **kwargs)
    except Exception:  # the original error matters more than a failed retry
        log.exception("Could not queue a retry of %s", func.__qualname__)
    else:
        log.warning(
            "Job %s failed (attempt %d); retry queued in %s",
            func.__qualname__,
            attempt,
            delay,
            extra={"job": func.__qualname__, "attempt": attempt},
        )


def enqueue_job(name: str, **kwargs):
    """Queue the job called ``name`` (a key of ``JOBS``); returns its ``TaskResult``."""
    return import_string(JOBS[name][0]).enqueue(**kwargs)


def uses_database_queue() -> bool:
    try:
        from django_tasks_db import DatabaseBackend
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def queue_state() -> dict[str, Any]:
    """The queue in numbers; raises ``DatabaseError`` when the database does not answer.

    ``ready``: jobs a worker may take now; ``scheduled``: jobs waiting for a later time (a retry's
    back-off); ``running``; ``oldest_ready_seconds``: how long the oldest ready job has waited;
    ``oldest_running_seconds``: how long the longest-running job has run (a stuck job).
    The counts are ``None`` for a queue outside this database (a broker reports its own depth).
    """
    state: dict[str, Any] = {
        "backend": type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__,
        "ready": None,
        "scheduled": None,
        "running": None,
        "oldest_ready_seconds": None,
        "oldest_running_seconds": None,
    }
    if not uses_database_queue():
        return state
    from django.db.models import Count, Min, Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    now, never = timezone.now(), get_date_max()
    due = Q(status=TaskResultStatus.READY) & (Q(run_after=never) | Q(run_after__lte=now))
    later = Q(status=TaskResultStatus.READY, run_after__gt=now) & ~Q(run_after=never)
    numbers = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).aggregate(
        ready=Count("pk", filter=due),
        scheduled=Count("pk", filter=later),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        oldest=Min("enqueued_at", filter=due),
        longest=Min("started_at", filter=Q(status=TaskResultStatus.RUNNING)),
    )
    oldest, longest = numbers.pop("oldest"), numbers.pop("longest")
    state.update(numbers)
    if oldest:
        state["oldest_ready_seconds"] = max(0.0, (now - oldest).total_seconds())
    if longest:
        state["oldest_running_seconds"] = max(0.0, (now - longest).total_seconds())
    return state


def workers_alive() -> int | None:
    """How many workers wrote a heartbeat within ``WORKER_STALE_AFTER`` seconds; ``None`` when
    jobs do not go through the database queue (no ``run_worker`` there to watch)."""
    if not uses_database_queue():
        return None
    from django.conf import settings

    from .models import WorkerHeartbeat

    return WorkerHeartbeat.objects.fresh(timedelta(seconds=settings.WORKER_STALE_AFTER)).count()


def workers_seen() -> list | None:
    """The workers heard from in the last day and not stopped on purpose, each with ``alive``
    (its heartbeat is fresh); ``None`` when jobs do not go through the database queue."""
    if not uses_database_queue():
        return None
    from django.conf import settings

    from .models import WorkerHeartbeat

    now = timezone.now()
    workers = list(WorkerHeartbeat.objects.running().filter(last_seen__gte=now - timedelta(days=1)))
    for worker in workers:
        worker.alive = now - worker.last_seen <= timedelta(seconds=settings.WORKER_STALE_AFTER)
    return workers


def recover_orphans(
    *,
    worker_id: str | None = None,
    workers: Collection[str] = (),
    older_than: timedelta | None = None,
) -> int:
    """Put jobs a dead worker left "running" back in the queue; returns how many.

    ``worker_id``: jobs last claimed by that worker — safe at the worker's own start, since a
    worker id is unique and the worker is not running yet. ``workers``: jobs last claimed by any
    of these (workers whose heartbeat stopped, ``core.worker``). ``older_than``: jobs started
    longer ago than that, whoever claimed them (choose it well above the longest job).
    Raises ``DatabaseError`` when the database does not answer.
    """
    wanted = set(workers) | ({worker_id} if worker_id else set())
    if not uses_database_queue() or not (wanted or older_than):
        return 0
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    ids = []
    for job in running.only("id", "worker_ids", "started_at"):
        claimed_by = job.worker_ids[-1] if job.worker_ids else None
        stale = older_than and job.started_at and job.started_at < timezone.now() - older_than
        if claimed_by in wanted or stale:
            ids.append(job.pk)
    if ids:
        DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
    for pk in ids:
        log.warning("Job %s was left running by a dead worker; queued again", pk)
    if ids:
        jobs_recovered.send(sender=recover_orphans, job_ids=[str(pk) for pk in ids])
    return len(ids)


def recent_jobs(*, limit: int = 25) -> list[dict[str, Any]]:
    """The latest jobs, newest first, for the operations page (empty for a broker queue)."""
    if not uses_database_queue():
        return []
    from django_tasks_db.models import DBTaskResult

    rows = []
    for job in DBTaskResult.objects.order_by("-enqueued_at")[:limit]:
        kwargs = (job.args_kwargs or {}).get("kwargs", {})
        error = ""
        if job.status == TaskResultStatus.FAILED:
            last = job.traceback.strip().splitlines()[-1:] if job.traceback else []
            error = last[0] if last else job.exception_class_path
        duration = None
        if job.started_at and job.finished_at:
            duration = (job.finished_at - job.started_at).total_seconds()
        rows.append(
            {
                "id": job.pk,
                "label": JOB_LABELS.get(job.task_path, job.task_path),
                "status": job.status,
                "status_label": job.get_status_display(),
                "enqueued_at": job.enqueued_at,
                "finished_at": job.finished_at,
                "duration": duration,
                "attempt": kwargs.get("attempt", 1),
                "error": error[:300],
                "result": job.return_value,
                "has_file": isinstance(job.return_value, dict)
                and "file_base64" in job.return_value,
            }
        )
    return rows
