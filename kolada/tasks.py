"""Kolada sync as a background job: queued from the operations page, a timer or the shell,
run by the worker (``manage.py run_worker``). The sync itself is ``kolada.sync.kolada_sync``."""

from datetime import date

from django.contrib.auth import get_user_model
from django_tasks import task

from core.jobs import JobFailed, retrying

from .sync import kolada_sync


@task()
@retrying(attempts=3)
def kolada_sync_task(
    *, from_date: str | None = None, full: bool = False, user_id: int | None = None
):
    """Sync once; a failed sync (Kolada unreachable, a sync already running) raises, so the
    retry policy queues it again. Nothing is written by a failed sync, so retrying is safe."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report = kolada_sync(
        from_date=date.fromisoformat(from_date) if from_date else None, full=full, user=user
    )
    if not report.ok:
        raise JobFailed(report.summary())
    return {
        "run": report.run.pk if report.run else None,
        "summary": report.summary(),
    }
