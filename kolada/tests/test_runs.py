"""A sync run's life: queued, claimed, kept alive by its heartbeat, or found dead and closed."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import httpx
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kolada.client import KoladaClient
from kolada.models import SyncRun
from kolada.runs import close_dead_runs, queue_sync
from kolada.sync import kolada_sync

from .conftest import serve_sync

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def running(*, beat_ago: timedelta | None, started_ago=timedelta(0), job_id="") -> SyncRun:
    now = timezone.now()
    return SyncRun.objects.create(
        started_at=now - started_ago,
        heartbeat_at=None if beat_ago is None else now - beat_ago,
        status=SyncRun.Status.RUNNING,
        job_id=job_id,
    )


def status(run: SyncRun) -> str:
    run.refresh_from_db()
    return run.status


def test_a_run_whose_heartbeat_stopped_minutes_ago_is_failed_with_its_reason(db, settings):
    settings.KOLADA_SYNC_STALE_SECONDS = 180
    dead = running(beat_ago=timedelta(minutes=4), started_ago=timedelta(minutes=20))
    assert close_dead_runs() == 1
    dead.refresh_from_db()
    assert dead.status == SyncRun.Status.FAILED
    assert "slutade svara" in dead.error and "3 minuter" in dead.error
    assert dead.finished_at is not None


def test_a_long_run_that_still_beats_is_alive(db, settings):
    settings.KOLADA_SYNC_STALE_SECONDS = 180
    alive = running(beat_ago=timedelta(seconds=20), started_ago=timedelta(hours=2))
    assert close_dead_runs() == 0
    assert status(alive) == SyncRun.Status.RUNNING


def test_a_run_that_never_beat_counts_from_its_start(db, settings):
    settings.KOLADA_SYNC_STALE_SECONDS = 180
    young = running(beat_ago=None, started_ago=timedelta(minutes=1))
    old = running(beat_ago=None, started_ago=timedelta(minutes=10))
    close_dead_runs()
    assert status(young) == SyncRun.Status.RUNNING
    assert status(old) == SyncRun.Status.FAILED


def test_a_queued_run_no_worker_took_within_an_hour_is_given_up(db):
    now = timezone.now()
    waiting = SyncRun.objects.create(started_at=now, status=SyncRun.Status.QUEUED)
    forgotten = SyncRun.objects.create(
        started_at=now - timedelta(hours=2), status=SyncRun.Status.QUEUED
    )
    close_dead_runs()
    assert status(waiting) == SyncRun.Status.QUEUED
    assert status(forgotten) == SyncRun.Status.FAILED
    assert "Ingen arbetare" in forgotten.error


def test_a_dead_run_does_not_block_the_next_sync(kolada_server, kolada_city, kolada_settings):
    """Before the heartbeat, a killed run refused every sync for an hour."""
    dead = running(beat_ago=timedelta(minutes=5), started_ago=timedelta(minutes=6))
    serve_sync(kolada_server)
    report = kolada_sync()
    assert report.ok, report.error
    assert status(dead) == SyncRun.Status.FAILED
    assert report.run.status == SyncRun.Status.SUCCEEDED


def test_a_live_run_still_refuses_a_second_sync(kolada_city, kolada_settings):
    running(beat_ago=timedelta(seconds=5))
    report = kolada_sync()
    assert "pågår redan" in report.error
    assert SyncRun.objects.count() == 1


def test_a_job_started_again_after_its_worker_died_runs_at_once(
    kolada_server, kolada_city, kolada_settings
):
    """Issue 23.2: the worker was killed mid-sync and recovery queued the job again. The run it
    left has a fresh heartbeat, but it is this very job's: the new attempt closes it and syncs."""
    left = running(beat_ago=timedelta(seconds=10), job_id="job-1")
    serve_sync(kolada_server)
    report = kolada_sync(job_id="job-1")
    assert report.ok, report.error
    left.refresh_from_db()
    assert left.status == SyncRun.Status.FAILED and "arbetaren" in left.error
    assert report.run.pk != left.pk and report.run.job_id == "job-1"


def test_the_sync_carries_out_the_run_the_page_queued(kolada_server, kolada_city, kolada_settings):
    serve_sync(kolada_server)
    queued = SyncRun.objects.create(started_at=timezone.now(), status=SyncRun.Status.QUEUED)
    report = kolada_sync(run=queued, job_id="job-9")
    assert report.run.pk == queued.pk
    queued.refresh_from_db()
    assert queued.status == SyncRun.Status.SUCCEEDED
    assert queued.job_id == "job-9" and queued.phase == SyncRun.Phase.DONE
    assert queued.kpis_total == 3 and queued.rows_fetched > 0 and queued.values_written == 15
    assert queued.heartbeat_at is not None


def test_a_queued_run_refused_because_another_runs_says_why(kolada_city, kolada_settings):
    running(beat_ago=timedelta(seconds=5))
    queued = SyncRun.objects.create(started_at=timezone.now(), status=SyncRun.Status.QUEUED)
    assert not kolada_sync(run=queued).ok
    queued.refresh_from_db()
    assert queued.status == SyncRun.Status.FAILED and "pågår redan" in queued.error


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_queueing_writes_a_queued_run_and_a_job_and_nothing_runs(world):
    run, queued = queue_sync(user=world.admin)
    assert queued and run.status == SyncRun.Status.QUEUED
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.READY
    assert job.args_kwargs["kwargs"]["run_id"] == run.pk
    again, queued_again = queue_sync(user=world.admin)
    assert not queued_again and again.pk == run.pk
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_recovery_after_a_killed_worker_closes_its_run_and_the_job_then_succeeds(
    world, kolada_server, kolada_city, kolada_settings
):
    """The whole of 23.2 with the real queue: killed worker → recover_jobs → the job runs again
    and succeeds, instead of failing "En synkronisering pågår redan" for an hour."""
    run, _ = queue_sync(user=world.admin)
    job = DBTaskResult.objects.get()
    job.claim("web1-worker")  # the worker took the job, claimed the run … and was killed
    SyncRun.objects.filter(pk=run.pk).update(
        status=SyncRun.Status.RUNNING, heartbeat_at=timezone.now(), job_id=str(job.pk)
    )
    call_command("recover_jobs", "--worker-id", "web1-worker", stdout=StringIO())
    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED and "arbetaren" in run.error

    serve_sync(kolada_server)
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    newest = SyncRun.objects.latest()
    assert newest.pk != run.pk and newest.status == SyncRun.Status.SUCCEEDED


def test_a_worker_told_to_stop_mid_sync_leaves_a_failed_run_not_a_running_one(
    kolada_city, kolada_settings
):
    """db_worker exits (SystemExit) on a second SIGTERM, inside whatever the job is doing."""

    def stop_now(request):
        raise SystemExit(1)

    client = KoladaClient(
        base_url="http://kolada.test/v3/", transport=httpx.MockTransport(stop_now)
    )
    with pytest.raises(SystemExit):
        kolada_sync(client=client)
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.FAILED and "arbetaren stoppades" in run.error
