"""Kolada sync as a background job: queued from the sync page, the operations page, a timer or
the shell, run by the worker (``manage.py run_worker``). The sync itself is
``kolada.sync.kolada_sync``; ``kolada.runs`` keeps its run row alive and visible while it works."""

from datetime import date

from django.contrib.auth import get_user_model
from django_tasks import TaskContext, task

from core.jobs import JobFailed, retrying

from .models import SyncRun
from .sync import kolada_sync


@task(takes_context=True)
@retrying(attempts=3)
def kolada_sync_task(
    context: TaskContext,
    *,
    from_date: str | None = None,
    full: bool = False,
    user_id: int | None = None,
    run_id: int | None = None,
):
    """Sync once; a failed sync (Kolada unreachable, a sync already running) raises, so the
    retry policy queues it again. Nothing is written by a failed sync, so retrying is safe.

    ``run_id``: the queued run the sync page made. The job's id goes on the run: should this
    job be started again after its worker died, the earlier attempt's run is closed as dead
    rather than refusing the new one ("En synkronisering pågår redan").
    """
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = SyncRun.objects.filter(pk=run_id).first() if run_id else None
    report = kolada_sync(
        from_date=date.fromisoformat(from_date) if from_date else None,
        full=full,
        user=user,
        run=run,
        job_id=str(context.task_result.id),
    )
    if not report.ok:
        raise JobFailed(report.summary())
    return {
        "run": report.run.pk if report.run else None,
        "summary": report.summary(),
    }
