"""The background worker (``manage.py run_worker``): django-tasks-db's worker, made to survive.

django-tasks-db's ``db_worker`` loop lets any database error other than "database is locked"
end the process, so a database restart of a second killed the worker for good. This worker runs
the same loop (``Worker.run`` of django-tasks-db, which takes and runs one job at a time) inside
one that, on a ``DatabaseError``, logs it, closes the connections, waits (1, 2, 4 … s, at most
``max_backoff``) and starts the loop again once the database answers. A job whose outcome could
not be written during the outage is still "running" under this worker's id; it is put back in
the queue when the database is back (and at every start), so it runs again.

A thread writes the worker's heartbeat (``WorkerHeartbeat``) every ``heartbeat_every`` seconds,
also while a long job runs: ``/readyz`` and ``/metrics`` read it, and every worker queues again the
jobs of a worker whose heartbeat has been silent for ``WORKER_STALE_AFTER`` seconds (a killed
worker on another machine). A worker does that only after its own heartbeat has gone through for
that long, so after an outage of the database no worker mistakes the others for dead.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

from .jobs import recover_orphans
from .models import WorkerHeartbeat

log = logging.getLogger("styrkort.worker")


def stale_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_STALE_AFTER)


def close_connections() -> None:
    """Drop this thread's database connections; the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        with suppress(Exception):  # a connection to a server that went away may fail to close
            connection.close()


class Backoff:
    """1, 2, 4 … seconds, at most ``most``; ``reset`` once things work again."""

    def __init__(self, *, first: float = 1.0, most: float = 30.0):
        self.first, self.most, self.delay = first, most, first

    def next(self) -> float:
        delay, self.delay = self.delay, min(self.delay * 2, self.most)
        return delay

    def reset(self) -> None:
        self.delay = self.first


class Worker(DatabaseWorker):
    def __init__(self, *, heartbeat_every: float, max_backoff: float, **kwargs):
        super().__init__(**kwargs)
        self.heartbeat_every = heartbeat_every
        self.backoff = Backoff(most=max_backoff)
        self.host = socket.gethostname()[:255]
        self.log_extra = {"worker_id": self.worker_id}
        self._stop = threading.Event()
        self._beating_since: float | None = None  # monotonic time of the first good beat in a row

    # The loop around django-tasks-db's loop

    def run(self) -> None:
        log.info("Worker %s starting", self.worker_id, extra=self.log_extra)
        try:
            self._until_database_answers(self._start)
            if self.heartbeat_every:
                threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True).start()
            while True:
                try:
                    super().run()
                    return
                except DatabaseError as exc:
                    self._wait_for_database(exc)
                    self._until_database_answers(self._resume)
        finally:
            self._stop.set()
            self._stopped()

    def _until_database_answers(self, step) -> None:
        while True:
            try:
                step()
            except DatabaseError as exc:
                self._wait_for_database(exc)
            else:
                self.backoff.reset()
                return

    def _wait_for_database(self, exc: DatabaseError) -> None:
        delay = self.backoff.next()
        log.warning(
            "Database unavailable (%s); worker %s tries again in %.0f s",
            exc.__class__.__name__,
            self.worker_id,
            delay,
            extra=self.log_extra | {"error": str(exc).strip()[:300]},
        )
        close_connections()
        time.sleep(delay)

    def _start(self) -> None:
        recovered = recover_orphans(worker_id=self.worker_id)  # left by this id when killed
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": self.host, "pid": os.getpid(), "started_at": now, "last_seen": now,
                      "stopped_at": None, "current_job": None},
        )  # fmt: skip
        if recovered:
            log.warning("Worker %s queued again %d job(s) it had left running", self.worker_id,
                        recovered, extra=self.log_extra)  # fmt: skip

    def _resume(self) -> None:
        recovered = recover_orphans(worker_id=self.worker_id)  # its outcome was never written
        self.beat(current_job=None)
        log.warning("Database answers again; worker %s carries on (%d job(s) queued again)",
                    self.worker_id, recovered, extra=self.log_extra)  # fmt: skip

    def _stopped(self) -> None:
        with suppress(DatabaseError):  # a stop during an outage: the heartbeat goes stale instead
            WorkerHeartbeat.objects.filter(pk=self.worker_id).update(
                stopped_at=timezone.now(), current_job=None
            )
        log.info("Worker %s stopped", self.worker_id, extra=self.log_extra)

    # One job

    def run_task(self, db_task_result) -> None:
        kwargs = (db_task_result.args_kwargs or {}).get("kwargs", {})
        again = kwargs.get("attempt", 1) > 1 or len(db_task_result.worker_ids) > 1
        self.beat(current_job=db_task_result.pk)
        started = time.monotonic()
        super().run_task(db_task_result)  # records the outcome, or raises if it cannot
        failed = db_task_result.status == TaskResultStatus.FAILED
        WorkerHeartbeat.objects.filter(pk=self.worker_id).update(
            last_seen=timezone.now(),
            current_job=None,
            jobs_run=F("jobs_run") + 1,
            jobs_failed=F("jobs_failed") + int(failed),
            jobs_retried=F("jobs_retried") + int(again),
        )
        log.info(
            "Job %s %s (%s)",
            db_task_result.pk,
            "failed" if failed else "done",
            db_task_result.task_path,
            extra=self.log_extra
            | {
                "job_id": str(db_task_result.pk),
                "task": db_task_result.task_path,
                "status": db_task_result.status,
                "run_again": again,
                "duration_ms": round((time.monotonic() - started) * 1000),
            },
        )

    # The heartbeat

    def beat(self, **fields) -> None:
        WorkerHeartbeat.objects.filter(pk=self.worker_id).update(last_seen=timezone.now(), **fields)

    def _beat_forever(self) -> None:
        try:
            while not self._stop.wait(self.heartbeat_every):
                try:
                    self.beat()
                    self._beating_since = self._beating_since or time.monotonic()
                    self._recover_dead_workers()
                except Exception as exc:  # noqa: BLE001 - the heartbeat must outlive any error
                    level = logging.WARNING if self._beating_since else logging.DEBUG  # once
                    self._beating_since = None
                    log.log(level, "Heartbeat of %s not written (%s)", self.worker_id,
                            exc.__class__.__name__, extra=self.log_extra)  # fmt: skip
                    close_connections()
        finally:
            close_connections()

    def _recover_dead_workers(self) -> None:
        beating = time.monotonic() - (self._beating_since or time.monotonic())
        if beating < settings.WORKER_STALE_AFTER:
            return
        silent = Q(last_seen__lt=timezone.now() - stale_after()) | Q(stopped_at__isnull=False)
        dead = set(
            WorkerHeartbeat.objects.filter(silent)
            .exclude(pk=self.worker_id)
            .values_list("worker_id", flat=True)
        )
        if dead and recover_orphans(workers=dead):
            log.warning("Worker %s queued again the jobs of silent workers %s", self.worker_id,
                        ", ".join(sorted(dead)), extra=self.log_extra)  # fmt: skip
