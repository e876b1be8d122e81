"""The life of a Kolada sync run: queued, claimed, alive, finished — or found dead.

A sync runs in the background worker, never in a request: the page queues a run
(:func:`queue_sync`) and shows its row, which the sync keeps up to date while it works
(:class:`RunProgress`). Every few seconds the run's ``heartbeat_at`` is renewed by a thread of
the process doing the work, so a run whose heartbeat is older than ``KOLADA_SYNC_STALE_SECONDS``
belonged to a process that died (killed worker, power loss) and is marked failed
(:func:`close_dead_runs`) instead of refusing every later sync.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SyncRun

log = logging.getLogger(__name__)

QUEUE_LIMIT = timedelta(hours=1)  # a queued run no worker has taken by then is given up
BUSY = "busy"


def heartbeat_limit() -> timedelta:
    """How old a running run's heartbeat may be before the run counts as dead."""
    return timedelta(seconds=getattr(settings, "KOLADA_SYNC_STALE_SECONDS", 180))


def beat_interval() -> float:
    """Seconds between heartbeats; well under the limit, so a slow beat is never taken for death."""
    return float(getattr(settings, "KOLADA_SYNC_BEAT_SECONDS", 10))


def _fail(runs, error: str) -> int:
    """Mark ``runs`` failed with ``error``; a failed run wrote nothing, so its counts are 0."""
    return runs.update(
        status=SyncRun.Status.FAILED,
        phase=SyncRun.Phase.DONE,
        finished_at=timezone.now(),
        error=error,
        values_written=0,
    )


def close_dead_runs(*, job_id: str = "") -> int:
    """Mark failed the runs nobody works on any more; returns how many.

    * a running run whose heartbeat is older than :func:`heartbeat_limit`;
    * a running run of ``job_id`` — the job is starting again, so its earlier attempt died
      (a worker killed mid-run whose job recovery queued again);
    * a queued run no worker took within :data:`QUEUE_LIMIT`.

    Reading first keeps the page (polled every 2 s) from writing when nothing is dead.
    """
    now = timezone.now()
    old = now - heartbeat_limit()
    silent, forgotten, n = [], [], 0
    for run in SyncRun.objects.active().only("pk", "status", "started_at", "heartbeat_at"):
        if run.status == SyncRun.Status.QUEUED:
            if run.started_at < now - QUEUE_LIMIT:
                forgotten.append(run.pk)
        elif (run.heartbeat_at or run.started_at) < old:
            silent.append(run.pk)
    if silent:
        n += _fail(
            SyncRun.objects.filter(pk__in=silent, status=SyncRun.Status.RUNNING),
            _(
                "Körningen avbröts: processen som körde den slutade svara (inget livstecken på "
                "%(minutes)d minuter). Ingenting sparades."
            )
            % {"minutes": max(1, int(heartbeat_limit().total_seconds()) // 60)},
        )
    if job_id:
        n += fail_runs_of_jobs([job_id])
    if forgotten:
        n += _fail(
            SyncRun.objects.filter(pk__in=forgotten, status=SyncRun.Status.QUEUED),
            _(
                "Ingen arbetare startade körningen inom en timme. Kontrollera att arbetaren "
                "körs (sidan Drift) och starta en ny synkronisering."
            ),
        )
    if n:
        log.warning("Closed %d dead Kolada sync run(s)", n)
    return n


def fail_runs_of_jobs(job_ids) -> int:
    """The worker running these jobs died: their runs did not finish (nothing was saved)."""
    ids = [str(i) for i in job_ids if i]
    if not ids:
        return 0
    return _fail(
        SyncRun.objects.filter(status=SyncRun.Status.RUNNING, job_id__in=ids),
        _(
            "Körningen avbröts: arbetaren som körde den stoppades. Ingenting sparades; jobbet "
            "körs igen."
        ),
    )


def queue_sync(*, user) -> tuple[SyncRun, bool]:
    """Queue a sync for the worker; returns ``(run, True)``, or ``(the active run, False)`` when
    one is already queued or running (a second click must not queue a second sync)."""
    from .tasks import kolada_sync_task

    close_dead_runs()
    with transaction.atomic():
        active = SyncRun.objects.active().order_by("-started_at").first()
        if active is not None:
            return active, False
        run = SyncRun.objects.create(
            started_at=timezone.now(),
            started_by=user,
            status=SyncRun.Status.QUEUED,
            phase=SyncRun.Phase.QUEUED,
        )
    try:
        # After the commit: the immediate backend (tests, a demo) runs the job right here and
        # must find the run; a worker polling the queue must too.
        kolada_sync_task.enqueue(run_id=run.pk, user_id=user.pk if user else None)
    except Exception as error:
        log.exception("Could not queue the Kolada sync")
        _fail(
            SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.QUEUED),
            _("Synkroniseringen kunde inte köas: %(error)s") % {"error": error},
        )
    run.refresh_from_db()
    return run, True


def claim(run: SyncRun | None, *, user, job_id: str) -> SyncRun | str:
    """The run this process now works on, or ``BUSY`` when another run is under way.

    A queued ``run`` is taken over; otherwise (none given, or it was given up meanwhile) a new
    run is made. Dead runs are closed first, so they never block.
    """
    close_dead_runs(job_id=job_id)
    now = timezone.now()
    if SyncRun.objects.filter(status=SyncRun.Status.RUNNING).exists():
        if run is not None:
            _fail(
                SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.QUEUED),
                _("En synkronisering pågår redan. Vänta tills den är klar."),
            )
        return BUSY
    fields = dict(
        status=SyncRun.Status.RUNNING,
        phase=SyncRun.Phase.CHECKING,
        started_at=now,
        heartbeat_at=now,
        job_id=job_id or "",
    )
    if run is not None:
        taken = SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.QUEUED).update(**fields)
        if taken:
            run.refresh_from_db()
            return run
    return SyncRun.objects.create(started_by=user, **fields)


class RunProgress:
    """Writes a working run's progress and heartbeat to its row, from a thread of its own.

    The sync writes its values in one transaction (all or nothing), so progress written on the
    same connection would stay invisible until the end. This thread has its own connection and
    short transactions of its own: the page sees the phase, the counts and the log grow, and the
    heartbeat goes on as long as the process lives. Inside a caller's transaction (tests) nothing
    could be seen anyway: then no thread runs, and the state is written when the run finishes.
    """

    FIELDS = ("phase", "kpis_total", "kpis_done", "rows_fetched")

    def __init__(self, run: SyncRun, report, *, threaded: bool | None = None):
        self.run = run
        self.report = report
        self.state = {name: getattr(run, name) for name in self.FIELDS}
        if threaded is None:
            threaded = not connection.in_atomic_block
        self.threaded = threaded
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # Called by the sync, in its own thread.
    def update(self, **fields) -> None:
        with self._lock:
            self.state.update(fields)
        self._dirty.set()

    def add(self, name: str, n: int) -> None:
        with self._lock:
            self.state[name] = self.state.get(name, 0) + n
        self._dirty.set()

    def touch(self) -> None:
        """The log grew."""
        self._dirty.set()

    def __enter__(self) -> RunProgress:
        if self.threaded:
            self._thread = threading.Thread(
                target=self._loop, name=f"kolada-run-{self.run.pk}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._dirty.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        for name, value in self.snapshot().items():
            setattr(self.run, name, value)

    def snapshot(self) -> dict:
        with self._lock:
            fields = dict(self.state)
        r = self.report
        fields["values_written"] = r.added + r.changed + r.deleted
        fields["log"] = "\n".join(list(r.lines))
        return fields

    # The thread.
    def _loop(self) -> None:
        last_beat = time.monotonic()
        try:
            while not self._stop.is_set():
                self._dirty.wait(timeout=1.0)
                if self._stop.is_set():
                    break
                due = time.monotonic() - last_beat >= beat_interval()
                if self._dirty.is_set() or due:
                    self._dirty.clear()
                    self._write()
                    last_beat = time.monotonic()
                    time.sleep(0.5)  # at most two writes a second, however fast the sync goes
        finally:
            connections.close_all()  # this thread's own connections

    def _write(self) -> None:
        fields = self.snapshot()
        fields["heartbeat_at"] = timezone.now()
        try:
            SyncRun.objects.filter(pk=self.run.pk, status=SyncRun.Status.RUNNING).update(**fields)
        except DatabaseError:
            # SQLite while the sync holds its write transaction, or a database hiccup: the next
            # beat tries again, and the limit is many beats long.
            log.debug("Could not write the progress of Kolada sync run %s", self.run.pk)
