"""The benchmark page's "Hämta senaste värden från Kolada", as a background job.

With the default timeouts a Kolada that does not answer holds a fetch for about two minutes,
longer than a request may last (gunicorn's 60 s): the page only queues a refresh
(:func:`queue_refresh`) and answers at once; the worker fetches (:func:`carry_out`) and the
refresh's row tells the page what became of it. One refresh per KPI may be queued or running
(a constraint of the database), so a second click, or two at the same moment, queue nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .benchmark import benchmark_refresh
from .client import KoladaError
from .models import BenchmarkRefresh
from .runs import QUEUE_LIMIT  # a queued refresh no worker has taken by then is given up

log = logging.getLogger(__name__)

Status = BenchmarkRefresh.Status
# Two requests of at most (KOLADA_RETRIES + 1) waits of KOLADA_TIMEOUT each: about 4 minutes
# with the defaults. A refresh running far longer belonged to a worker that died.
RUN_LIMIT = timedelta(minutes=15)


def close_stale_refreshes() -> int:
    """Fail the refreshes nobody works on any more, so they no longer block a new one."""
    now = timezone.now()
    forgotten = BenchmarkRefresh.objects.filter(
        status=Status.QUEUED, requested_at__lt=now - QUEUE_LIMIT
    )
    n = _fail(
        forgotten,
        _(
            "Ingen arbetare startade hämtningen inom en timme. Kontrollera att arbetaren körs "
            "(sidan Drift) och försök igen."
        ),
    )
    dead = BenchmarkRefresh.objects.filter(status=Status.RUNNING, started_at__lt=now - RUN_LIMIT)
    n += _fail(
        dead,
        _("Hämtningen avbröts: arbetaren som körde den blev aldrig klar. Försök igen."),
    )
    return n


def _fail(refreshes, error: str) -> int:
    # Read first: the page calls this on every view and must not write when nothing is stale.
    if not refreshes.exists():
        return 0
    return refreshes.update(status=Status.FAILED, finished_at=timezone.now(), error=error)


def latest(kpi: str) -> BenchmarkRefresh | None:
    return BenchmarkRefresh.objects.filter(kpi=kpi).first()


def queue_refresh(*, kpi: str, municipalities: list[str], user) -> tuple[BenchmarkRefresh, bool]:
    """Queue a refresh of ``kpi`` for the worker: ``(refresh, True)``, or ``(the one already
    queued or running, False)``."""
    from .tasks import benchmark_refresh_task

    close_stale_refreshes()
    active = BenchmarkRefresh.objects.filter(kpi=kpi, status__in=[Status.QUEUED, Status.RUNNING])
    if (found := active.first()) is not None:
        return found, False
    try:
        with transaction.atomic():
            refresh = BenchmarkRefresh.objects.create(
                kpi=kpi,
                municipalities=municipalities,
                requested_by=user if user and user.is_authenticated else None,
                requested_at=timezone.now(),
            )
    except IntegrityError:  # another click at the same moment won
        return latest(kpi), False
    try:
        # After the commit: a worker (or the immediate backend, here and now) finds the row.
        benchmark_refresh_task.enqueue(refresh_id=refresh.pk)
    except Exception as error:
        log.exception("Could not queue the benchmark refresh")
        _fail(
            BenchmarkRefresh.objects.filter(pk=refresh.pk, status=Status.QUEUED),
            _("Hämtningen kunde inte köas: %(error)s") % {"error": error},
        )
    refresh.refresh_from_db()
    return refresh, True


def carry_out(refresh_id: int, *, job_id: str = "") -> BenchmarkRefresh | None:
    """Fetch what the refresh asks for; its row gets the outcome. ``None`` when there is nothing
    to do (the refresh was given up meanwhile, or is gone).

    A job started again after its worker died finds its refresh still running and carries it
    out again: nothing was stored by the earlier attempt (the cache is replaced all at once).
    """
    taken = BenchmarkRefresh.objects.filter(
        pk=refresh_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.RUNNING, started_at=timezone.now(), job_id=job_id)
    if not taken:
        return None
    refresh = BenchmarkRefresh.objects.get(pk=refresh_id)
    try:
        n = benchmark_refresh(kpi=refresh.kpi, municipalities=refresh.municipalities)
    except KoladaError as error:  # its text is the reason, in Swedish and without addresses
        _finish(refresh, Status.FAILED, error=str(error))
    except Exception as error:
        log.exception("Benchmark refresh %s failed", refresh_id)
        _finish(refresh, Status.FAILED, error=_("Oväntat fel: %(error)s") % {"error": error})
        raise
    else:
        _finish(refresh, Status.SUCCEEDED, values=n)
    return refresh


def _finish(refresh: BenchmarkRefresh, status: str, *, values: int = 0, error: str = "") -> None:
    refresh.status = status
    refresh.values_fetched = values
    refresh.error = error
    refresh.finished_at = timezone.now()
    refresh.save(update_fields=["status", "values_fetched", "error", "finished_at"])
