"""The worker's heartbeat and job counts, seen in /readyz and /metrics; jobs of a silent worker
queued again. (Real processes, a killed worker and a stopped database: test_worker.py.)"""

import re
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.jobs import enqueue_job
from core.models import WorkerHeartbeat
from core.views import server_error
from core.worker import Backoff, Worker
from kolada.sync import SyncReport
from kolada.tasks import kolada_sync_task

from .test_metrics import families, value

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
AUTH = {"HTTP_AUTHORIZATION": "Bearer s3cret"}


def run_worker(*extra: str) -> None:
    """``manage.py run_worker`` until the queue is empty, in the test's transaction (so without
    the heartbeat thread, which would use a connection of its own)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("run_worker", "--batch", "--no-startup-delay", "--heartbeat-every", "0",
                     *extra, stdout=StringIO())  # fmt: skip


def heartbeat(worker_id: str, seconds_ago: float, **fields) -> WorkerHeartbeat:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, started_at=seen, last_seen=seen, **fields
    )


def test_the_backoff_doubles_up_to_its_limit_and_starts_over():
    backoff = Backoff(most=5)
    assert [backoff.next() for _ in range(5)] == [1, 2, 4, 5, 5]
    backoff.reset()
    assert backoff.next() == 1


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_the_worker_records_its_heartbeat_and_job_counts(world):
    enqueue_job("reminders")
    failing = mock.patch("kolada.tasks.kolada_sync", return_value=SyncReport(error="nej"))
    with failing:
        kolada_sync_task.using().enqueue(attempt=3)  # the last attempt: fails, no retry
        run_worker("--worker-id", "w1")
    beat = WorkerHeartbeat.objects.get()
    assert (beat.worker_id, beat.jobs_run, beat.jobs_failed, beat.jobs_retried) == ("w1", 2, 1, 1)
    assert beat.stopped_at is not None  # --batch ends on purpose: not a dead worker
    assert beat.current_job is None
    assert timezone.now() - beat.last_seen < timedelta(seconds=30)


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_restarted_worker_queues_again_and_runs_the_job_it_left_running(world):
    job = DBTaskResult.objects.get(pk=enqueue_job("reminders").id)
    job.claim("w1")  # … and w1 was killed
    run_worker("--worker-id", "w1")
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["w1", "w1"])
    assert WorkerHeartbeat.objects.get().jobs_retried == 1


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE, WORKER_STALE_AFTER=60)
def test_jobs_of_a_silent_worker_are_queued_again_by_a_worker_that_has_beaten_long_enough(world):
    dead_job = DBTaskResult.objects.get(pk=enqueue_job("reminders").id)
    dead_job.claim("dead")
    heartbeat("dead", seconds_ago=300)
    busy_job = DBTaskResult.objects.get(pk=enqueue_job("reminders").id)
    busy_job.claim("busy")
    heartbeat("busy", seconds_ago=5)  # alive, running a long job
    heartbeat("me", seconds_ago=0)
    me = Worker(queue_names=["default"], excluded_queue_names=[], interval=1, batch=True,
                backend_name="default", startup_delay=False, max_tasks=None, worker_id="me",
                heartbeat_every=10, max_backoff=30)  # fmt: skip

    me._beating_since = time.monotonic() - 10  # just back: the others may not have beaten yet
    me._recover_dead_workers()
    assert DBTaskResult.objects.get(pk=dead_job.pk).status == TaskResultStatus.RUNNING

    me._beating_since = time.monotonic() - 61
    me._recover_dead_workers()
    assert DBTaskResult.objects.get(pk=dead_job.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=busy_job.pk).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE, WORKER_STALE_AFTER=60)
def test_readyz_says_whether_a_worker_is_alive_without_leaving_the_balancer(client):
    assert client.get("/readyz").json()["worker"] == "down"
    assert client.get("/readyz").status_code == 200  # the pages still work without a worker
    assert client.get("/readyz/worker").status_code == 503
    heartbeat("w1", seconds_ago=5)
    assert client.get("/readyz").json()["worker"] == "ok"
    assert client.get("/readyz/worker").json() == {"worker": "ok", "workers_up": 1}
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(seconds=61))
    assert client.get("/readyz/worker").status_code == 503


@pytest.mark.django_db
def test_readyz_has_no_worker_to_watch_when_jobs_run_in_the_request(client):
    assert "worker" not in client.get("/readyz").json()
    assert client.get("/readyz/worker").json() == {"worker": "not used"}


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret", TASKS=DB_QUEUE, WORKER_STALE_AFTER=60)
def test_metrics_show_heartbeats_job_counters_and_the_longest_running_job(client):
    heartbeat("w1", seconds_ago=5, jobs_run=7, jobs_failed=2, jobs_retried=3)
    heartbeat("gone", seconds_ago=120)
    heartbeat("old", seconds_ago=2 * 86400)  # silent for days: forgotten
    heartbeat("stopped", seconds_ago=1, stopped_at=timezone.now())
    job = DBTaskResult.objects.get(pk=enqueue_job("reminders").id)
    job.claim("w1")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(minutes=20))

    found = families(client.get("/metrics", **AUTH))
    seen = found["styrkort_worker_last_seen_timestamp_seconds"]
    assert {s.labels["worker"] for s in seen.samples} == {"w1", "gone"}
    assert time.time() - value(seen, worker="gone") > 100
    assert value(found["styrkort_workers_up"]) == 1
    assert value(found["styrkort_jobs_failed"], "_total", worker="w1") == 2
    assert value(found["styrkort_jobs_retried"], "_total", worker="w1") == 3
    assert value(found["styrkort_jobs_run"], "_total", worker="w1") == 7
    assert value(found["styrkort_task_oldest_running_age_seconds"]) >= 20 * 60


# The suggested alerts of docs/deployment.md, evaluated against what /metrics says. Only the
# plain comparisons ("metric > n", "time() - metric > n") are evaluated here; rate() and
# increase() need Prometheus's history.

ALERT = re.compile(r"^(time\(\) - )?(\w+)(?:\{[^}]*\})? (<|>|==) ([\d.* ]+)$")


def suggested_alerts() -> dict[str, str]:
    text = (Path(settings.BASE_DIR) / "docs" / "deployment.md").read_text()
    block = re.search(r"```yaml\n(groups:.*?)```", text, re.S)[1]
    rules = yaml.safe_load(block)["groups"][0]["rules"]
    return {rule["alert"]: rule["expr"] for rule in rules}


def firing(found: dict) -> set[str]:
    fired = set()
    for name, expr in suggested_alerts().items():
        match = ALERT.match(expr)
        if not match:
            continue
        since_then, metric, op, limit = match.groups()
        limit = eval(limit, {"__builtins__": {}})  # noqa: S307 - "2 * 86400" from our own docs
        for sample in found[metric].samples if metric in found else []:
            got = time.time() - sample.value if since_then else sample.value
            if {"<": got < limit, ">": got > limit, "==": got == limit}[op]:
                fired.add(name)
    return fired


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret", TASKS=DB_QUEUE, WORKER_STALE_AFTER=60)
def test_the_suggested_alerts_fire_on_a_dead_worker_and_on_a_stuck_job_only(client):
    heartbeat("w1", seconds_ago=5)
    job = DBTaskResult.objects.get(pk=enqueue_job("reminders").id)
    job.claim("w1")
    assert firing(families(client.get("/metrics", **AUTH))) == set()  # all is well

    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=5))
    assert firing(families(client.get("/metrics", **AUTH))) == {
        "StyrkortWorkerDown",
        "StyrkortWorkerSilent",
    }

    WorkerHeartbeat.objects.update(last_seen=timezone.now())  # alive, but the job hangs
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(hours=2))
    assert firing(families(client.get("/metrics", **AUTH))) == {"StyrkortJobStuck"}


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE, WORKER_STALE_AFTER=60)
def test_the_operations_page_lists_the_workers_alive_and_silent(client, world):
    heartbeat("web1-worker", seconds_ago=5, host="web1", jobs_run=4, jobs_failed=1)
    heartbeat("web2-worker", seconds_ago=600, host="web2")
    heartbeat("web3-worker", seconds_ago=5, stopped_at=timezone.now())  # stopped on purpose
    client.force_login(world.admin)
    text = client.get(reverse("ops_status")).content.decode()
    row = re.search(r"<th scope=\"row\">web1-worker</th>(.*?)</tr>", text, re.S)[1]
    assert "Svarar" in row and "web1" in row
    row = re.search(r"<th scope=\"row\">web2-worker</th>(.*?)</tr>", text, re.S)[1]
    assert "Tyst" in row
    assert "web3-worker" not in text


# A page that fails because the database is away: 503 with Retry-After, not 500.


def test_a_page_failing_for_want_of_the_database_answers_503(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))  # as Django calls handler500, inside the except
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "tillfälligt otillgängligt" in response.content.decode()


def test_any_other_error_is_still_a_500(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
