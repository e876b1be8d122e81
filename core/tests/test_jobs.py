"""Background jobs: queued in the database, run by the worker, retried, recovered after a crash."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.jobs import enqueue_job, queue_state, recover_orphans
from core.testing import make_scorecard
from followup.tasks import send_reminders_task
from kolada.models import SyncRun
from kolada.sync import SyncReport
from kolada.tasks import kolada_sync_task
from reports.models import ImportBatch
from reports.tasks import import_apply_task, scorecard_pdf_task

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(*extra: str) -> None:
    """Run ``manage.py db_worker`` until the queue is empty, inside the test's transaction."""
    # The worker closes "old" connections between jobs; in a test that would be the test's own.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", *extra, stdout=StringIO()
        )


def failed_sync(**kwargs) -> SyncReport:
    return SyncReport(error="Kolada svarar inte")


@pytest.mark.django_db
def test_a_job_runs_at_once_with_the_immediate_backend(world):
    result = send_reminders_task.enqueue(days=7)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["reminders"] == 0


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_queued_job_waits_in_the_database_until_the_worker_runs_it(world):
    result = enqueue_job("reminders", days=3)
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY
    assert job.args_kwargs == {"args": [], "kwargs": {"days": 3}}
    assert queue_state()["ready"] == 1

    run_worker()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.return_value["sent"] == 0
    assert queue_state()["ready"] == 0


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_failed_job_is_queued_again_later_until_the_attempts_are_used(world):
    with mock.patch("kolada.tasks.kolada_sync", side_effect=failed_sync):
        kolada_sync_task.enqueue()
        run_worker()
        first, retry = DBTaskResult.objects.order_by("enqueued_at")
        assert first.status == TaskResultStatus.FAILED
        assert "Kolada svarar inte" in first.traceback
        assert retry.status == TaskResultStatus.READY
        assert retry.args_kwargs["kwargs"] == {"attempt": 2}
        assert retry.run_after > timezone.now() + timedelta(seconds=50)  # 1 minute, then 2
        assert queue_state() | {"oldest_ready_seconds": None} == {
            "backend": "DatabaseBackend",
            "ready": 0,
            "scheduled": 1,
            "running": 0,
            "oldest_ready_seconds": None,
            "oldest_running_seconds": None,
        }

        DBTaskResult.objects.update(run_after=timezone.now())  # time passes
        run_worker()
        DBTaskResult.objects.update(run_after=timezone.now())
        run_worker()
    attempts = sorted(j.args_kwargs["kwargs"].get("attempt", 1) for j in DBTaskResult.objects.all())
    assert attempts == [1, 2, 3]  # three attempts in all, then it stays failed
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.FAILED}


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_job_a_killed_worker_left_running_is_run_again(world):
    result = enqueue_job("reminders")
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim("web1-worker")  # the worker took it … and was killed
    run_worker()  # another worker does not touch it
    assert DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.RUNNING

    out = StringIO()
    call_command("recover_jobs", "--worker-id", "web1-worker", stdout=out)
    assert "1" in out.getvalue()
    run_worker("--worker-id", "web1-worker")

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["web1-worker", "web1-worker"]


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_recovery_by_age_leaves_recent_jobs_of_other_workers_alone(world):
    old = DBTaskResult.objects.get(pk=enqueue_job("reminders").id)
    new = DBTaskResult.objects.get(pk=enqueue_job("reminders").id)
    old.claim("a")
    new.claim("b")
    DBTaskResult.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(hours=3))
    assert recover_orphans(older_than=timedelta(hours=2)) == 1
    assert DBTaskResult.objects.get(pk=old.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=new.pk).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_enqueue_job_command_queues_for_the_worker(world):
    out = StringIO()
    call_command("enqueue_job", "kolada_sync", "--full", stdout=out)
    job = DBTaskResult.objects.get()
    assert job.task_path == "kolada.tasks.kolada_sync_task"
    assert job.args_kwargs["kwargs"] == {"full": True}
    assert "Kolada-synkronisering" in out.getvalue()


# The operations page ("drift")


@pytest.mark.django_db
def test_ops_page_is_for_administrators_only(client, world):
    url = reverse("ops_status")
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(world.editor)
    assert client.get(url).status_code == 403
    client.force_login(world.admin)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_ops_page_shows_the_last_sync_and_job_outcomes(client, world):
    SyncRun.objects.create(
        started_at=timezone.now(), status=SyncRun.Status.FAILED, error="Kolada svarar inte"
    )
    with mock.patch("kolada.tasks.kolada_sync", side_effect=failed_sync):
        kolada_sync_task.enqueue()
        run_worker()
    enqueue_job("reminders")
    client.force_login(world.admin)
    text = client.get(reverse("ops_status")).content.decode()
    assert "Kolada svarar inte" in text  # the last sync's error
    assert "Misslyckades" in text and "Väntar" in text
    assert "Påminnelser om saknade utfall" in text and "Kolada-synkronisering" in text


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_an_administrator_queues_a_job_that_the_worker_then_runs(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("ops_status"), {"job": "reminders"})
    assert response.status_code == 302
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    run_worker()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 0  # nothing was due


@pytest.mark.django_db
def test_ops_page_ignores_unknown_jobs(client, world):
    client.force_login(world.admin)
    client.post(reverse("ops_status"), {"job": "rm -rf"})
    assert not DBTaskResult.objects.exists()


# Reports as jobs


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_pdf_rendered_by_the_worker_is_handed_out_by_any_server(client, chain, world):
    result = scorecard_pdf_task.enqueue(scorecard_id=chain.city.pk)
    run_worker()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.SUCCESSFUL
    client.force_login(world.admin)
    assert "Hämta filen" in client.get(reverse("ops_status")).content.decode()
    response = client.get(reverse("ops_job_file", args=[job.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"styrkort-{chain.city.unit.code}-2026.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_an_import_that_was_already_applied_is_reported_not_retried(world):
    card = make_scorecard(world.unit_a)
    batch = ImportBatch.objects.create(
        scorecard=card, kind="values", year=2026, filename="x.xlsx", created_by=world.reporter,
        state="applied",
    )  # fmt: skip
    result = import_apply_task.enqueue(batch_id=str(batch.pk), user_id=world.reporter.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["summary"] == "Filen är redan behandlad."


@pytest.mark.django_db
def test_ops_page_shows_a_sync_whose_worker_died_as_failed(client, world):
    long_ago = timezone.now() - timedelta(minutes=30)
    SyncRun.objects.create(started_at=long_ago, heartbeat_at=long_ago, status="running")
    client.force_login(world.admin)
    text = client.get(reverse("ops_status")).content.decode()
    assert "Misslyckades" in text and "slutade svara" in text
