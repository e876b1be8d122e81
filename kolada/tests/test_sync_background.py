"""Issue 15.6: a sync never runs in a request. Kolada that never answers must not hold the page.

A real socket that accepts connections and never replies stands in for Kolada; a real worker
(django-tasks-db's, in a thread of this process) runs the queued job against the real database
queue, while the test, like an administrator, reloads the page and other pages.
"""

import re
import socket
import threading
import time

import pytest
from django.db import connections
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from werkzeug import Response

from kolada.models import SyncRun
from kolada.sync import kolada_sync

from .conftest import DATA_3KPI, GROUP, KPI_META, recorded

URL = reverse("sync_status")
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def silent_kolada():
    """The address of a server that accepts every connection and never sends a byte."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            held.append(conn)  # keep it open, say nothing

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/v3/", held
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


def start_worker() -> threading.Thread:
    """``manage.py db_worker --batch``: runs what is due, then stops."""
    worker = Worker(
        queue_names=["default"],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def work() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def timed_get(client, url: str, **kw):
    start = time.monotonic()
    response = client.get(url, **kw)
    return response, time.monotonic() - start


@pytest.mark.django_db(transaction=True)
def test_a_kolada_that_never_answers_holds_no_request_and_the_run_fails_with_its_reason(
    client, kolada_city, settings, silent_kolada
):
    address, held = silent_kolada
    settings.TASKS = DB_QUEUE
    settings.KOLADA_BASE_URL = address
    settings.MUNICIPALITY_KOLADA_ID = "1283"
    settings.KOLADA_TIMEOUT = 1.5  # per wait; two attempts (KOLADA_RETRIES=1), 1 s apart
    settings.KOLADA_RETRIES = 1
    client.force_login(kolada_city.admin)
    others = ("/healthz", reverse("sync_conflicts"), "/")
    for url in (URL, *others):
        client.get(url)  # a first request imports and compiles; that is not what is measured

    start = time.monotonic()
    response = client.post(URL)
    assert time.monotonic() - start < 1.0
    run = SyncRun.objects.get()
    assert response["Location"] == f"{URL}?korning={run.pk}"
    page, took = timed_get(client, response["Location"])
    assert took < 1.0
    assert "Köad" in page.content.decode() and 'hx-trigger="every 2s"' in page.content.decode()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    worker = start_worker()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not held:
        time.sleep(0.05)  # until the sync is waiting on Kolada
    assert held, "the sync never reached Kolada"
    page, took = timed_get(client, f"{URL}?korning={run.pk}")
    text = page.content.decode()
    assert took < 1.0
    assert "Pågår" in text and "Kontrollerar KPI:er" in text
    assert 'hx-trigger="every 2s"' in text
    poll, took = timed_get(client, f"{URL}?korning={run.pk}", headers={"HX-Request": "true"})
    assert poll.status_code == 200 and took < 1.0 and "Pågår" in poll.content.decode()
    for other in others:
        assert timed_get(client, other)[1] < 1.0, other

    worker.join(timeout=30)
    assert not worker.is_alive()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED
    assert "Kolada svarade inte i tid" in run.error and "2 försök" in run.error
    assert run.heartbeat_at is not None and run.finished_at is not None
    poll, _ = timed_get(client, f"{URL}?korning={run.pk}", headers={"HX-Request": "true"})
    assert poll.status_code == 286  # the last poll: htmx stops
    assert "Kolada svarade inte i tid" in poll.content.decode()
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first.status == TaskResultStatus.FAILED
    assert run.job_id == str(first.pk)  # what recovery names when it queues the job again
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1  # the retry


@pytest.mark.django_db(transaction=True)
def test_progress_and_heartbeat_are_seen_while_the_sync_waits_on_kolada(
    kolada_city, kolada_server, kolada_settings
):
    """The values are written all or nothing, yet the run's row shows the phase, the counts and
    the log as they grow, and its heartbeat goes on while the sync waits on Kolada."""
    kolada_settings.KOLADA_SYNC_BEAT_SECONDS = 0.2
    asked, release = threading.Event(), threading.Event()
    data = recorded(DATA_3KPI)

    def slow_data(request):
        asked.set()
        release.wait(timeout=20)
        return Response(data, content_type="application/json")

    kolada_server.expect_request(re.compile(r"^/v3/kpi/.+")).respond_with_data(
        recorded(KPI_META), content_type="application/json"
    )
    kolada_server.expect_request("/v3/municipality_groups/G37394").respond_with_data(
        recorded(GROUP), content_type="application/json"
    )
    kolada_server.expect_request(re.compile(r"^/v3/data/kpi/.+")).respond_with_handler(slow_data)
    reports = []

    def sync() -> None:
        try:
            reports.append(kolada_sync())
        finally:
            connections.close_all()

    thread = threading.Thread(target=sync, daemon=True)
    thread.start()
    assert asked.wait(timeout=10)
    time.sleep(1.5)  # a write or two of the progress thread
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.RUNNING
    assert run.phase == SyncRun.Phase.FETCHING
    assert (run.kpis_total, run.kpis_done) == (3, 0)
    assert "Hämtar alla värden för N00090, N00401, N03102" in run.log
    first_beat = run.heartbeat_at
    time.sleep(1.0)
    run.refresh_from_db()
    assert run.heartbeat_at > first_beat  # alive while it waits
    release.set()
    thread.join(timeout=30)
    assert reports and reports[0].ok, reports
    run.refresh_from_db()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert (run.kpis_total, run.kpis_done, run.values_written) == (3, 3, 15)
