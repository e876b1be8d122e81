"""Issue 15.6: the benchmark page's "Hämta senaste värden från Kolada" runs in the worker.

The page queues a refresh and answers at once; the worker (django-tasks-db's, in a thread of
this process, on the real database queue) fetches; the page shows the refresh queued, running,
and its outcome. Kolada is a real socket that never answers, or pytest-httpserver serving
recorded answers.
"""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.jobs import JOB_LABELS, recent_jobs
from core.testing import make_indicator
from kolada.models import BenchmarkRefresh, KoladaValue
from kolada.refresh import carry_out
from scorecards.models import Direction

from .conftest import DATA_3KPI, MUNICIPALITIES, recorded
from .test_sync_background import DB_QUEUE, silent_kolada, start_worker  # noqa: F401, F811

Status = BenchmarkRefresh.Status


@pytest.fixture
def sick(db):
    return make_indicator("Sjukfrånvaro", kolada_kpi="N00090", direction=Direction.LOWER, unit="%")


def page(indicator, query: str = "?m=0581") -> str:
    return reverse("benchmark", args=[indicator.pk]) + query


def timed_post(client, url: str):
    start = time.monotonic()
    response = client.post(url)
    return response, time.monotonic() - start


def wait_for(worker) -> None:
    worker.join(timeout=30)
    assert not worker.is_alive(), "the worker did not finish"


@pytest.mark.django_db(transaction=True)
def test_a_kolada_that_never_answers_holds_no_request_and_the_refresh_fails_with_its_reason(
    client,
    world,
    sick,
    settings,
    silent_kolada,  # noqa: F811
):
    address, held = silent_kolada
    settings.TASKS = DB_QUEUE
    settings.KOLADA_BASE_URL = address
    settings.MUNICIPALITY_KOLADA_ID = "1283"
    settings.KOLADA_TIMEOUT = 1.0  # per wait; two attempts (KOLADA_RETRIES=1), 1 s apart
    settings.KOLADA_RETRIES = 1
    client.force_login(world.editor)
    client.get(page(sick))  # a first request imports and compiles; that is not what is measured

    response, took = timed_post(client, page(sick))
    assert took < 1.0
    assert response.status_code == 302 and response["Location"] == page(sick)
    refresh = BenchmarkRefresh.objects.get()
    assert refresh.status == Status.QUEUED and refresh.kpi == "N00090"
    assert refresh.municipalities == ["1283", "0581", "0000"]
    assert refresh.requested_by == world.editor
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.READY
    assert held == []  # nobody asked Kolada
    text = client.get(page(sick)).content.decode()
    assert "Jämförelsen hämtas från Kolada" in text  # the message, once
    assert "Hämtningen från Kolada är köad" in text
    assert f'hx-get="{page(sick)}" hx-trigger="every 2s"' in text
    assert f'<a href="{page(sick)}">Uppdatera sidan</a>' in text

    worker = start_worker()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not held:
        time.sleep(0.05)  # until the refresh waits on Kolada
    assert held, "the refresh never reached Kolada"
    start = time.monotonic()
    poll = client.get(page(sick), headers={"HX-Request": "true"})
    assert time.monotonic() - start < 1.0
    assert poll.status_code == 200 and "HX-Refresh" not in poll
    assert "Värden hämtas från Kolada (sedan" in poll.content.decode()
    assert b"<html" not in poll.content

    wait_for(worker)
    refresh.refresh_from_db()
    assert refresh.status == Status.FAILED and refresh.finished_at is not None
    assert "Kolada svarade inte i tid" in refresh.error and "2 försök" in refresh.error
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED and refresh.job_id == str(job.pk)
    assert DBTaskResult.objects.count() == 1  # no retry: the page offers the button again
    poll = client.get(page(sick), headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"  # the page reloads with the outcome
    text = client.get(page(sick)).content.decode()
    assert text.count(refresh.error) == 1
    assert f"Jämförelsen kunde inte hämtas: {refresh.error}" in text
    assert "127.0.0.1" not in text and "/v3/" not in text
    assert "hx-trigger" not in text
    ops = recent_jobs()[0]
    assert ops["label"] == "Kolada-jämförelse för en KPI" and "svarade inte i tid" in ops["error"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_fetches_the_recorded_values_and_the_page_shows_them(
    client, world, sick, kolada_server, kolada_settings
):
    kolada_settings.TASKS = DB_QUEUE
    kolada_server.expect_request("/v3/municipality/1283,0581,0000").respond_with_data(
        recorded(MUNICIPALITIES), content_type="application/json"
    )
    kolada_server.expect_request(
        "/v3/data/kpi/N00090/municipality/1283,0581,0000"
    ).respond_with_data(recorded(DATA_3KPI), content_type="application/json")
    client.force_login(world.editor)

    client.post(page(sick))
    assert kolada_server.log == []  # the request asked Kolada nothing
    assert not KoladaValue.objects.exists()
    poll = client.get(page(sick), headers={"HX-Request": "true"})
    assert poll.status_code == 200 and "HX-Refresh" not in poll
    assert "köad" in poll.content.decode()

    wait_for(start_worker())
    refresh = BenchmarkRefresh.objects.get()
    assert refresh.status == Status.SUCCEEDED and refresh.error == ""
    assert refresh.values_fetched > 0 and KoladaValue.objects.filter(kpi="N00090").exists()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert client.get(page(sick), headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    text = client.get(page(sick)).content.decode()
    assert f"{refresh.values_fetched} värden hämtade från Kolada" in text
    assert "Norrköping" in text and "<svg" in text  # the comparison from the new values
    assert "hx-trigger" not in text


@pytest.mark.django_db
def test_a_second_click_queues_no_second_refresh(client, world, sick, settings):
    settings.TASKS = DB_QUEUE
    client.force_login(world.editor)
    client.post(page(sick))
    text = client.post(page(sick), follow=True).content.decode()
    assert BenchmarkRefresh.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert "redan köad eller pågår" in text
    # Another KPI is refreshed on its own.
    other = make_indicator("Resultat", kolada_kpi="N03102")
    client.post(page(other))
    assert BenchmarkRefresh.objects.filter(status=Status.QUEUED).count() == 2


@pytest.mark.django_db
def test_a_refresh_whose_worker_died_is_failed_and_blocks_nothing(client, world, sick, settings):
    settings.TASKS = DB_QUEUE
    long_ago = timezone.now() - timedelta(minutes=20)
    dead = BenchmarkRefresh.objects.create(
        kpi="N00090", status=Status.RUNNING, requested_at=long_ago, started_at=long_ago
    )
    client.force_login(world.editor)
    text = client.get(page(sick)).content.decode()
    dead.refresh_from_db()
    assert dead.status == Status.FAILED and "blev aldrig klar" in text
    client.post(page(sick))
    assert BenchmarkRefresh.objects.filter(status=Status.QUEUED).count() == 1


@pytest.mark.django_db
def test_a_refresh_given_up_meanwhile_is_not_carried_out(world, kolada_server, kolada_settings):
    given_up = BenchmarkRefresh.objects.create(
        kpi="N00090", status=Status.FAILED, requested_at=timezone.now(), error="x"
    )
    assert carry_out(given_up.pk, job_id="job-1") is None
    assert kolada_server.log == []


@pytest.mark.django_db
def test_a_reader_sees_no_refresh_state(client, world, sick):
    BenchmarkRefresh.objects.create(
        kpi="N00090", status=Status.FAILED, requested_at=timezone.now(), error="Hemligt fel."
    )
    client.force_login(world.reader)
    text = client.get(page(sick)).content.decode()
    assert "Hemligt fel." not in text and "Hämta senaste" not in text


def test_the_job_has_a_label_on_the_operations_page():
    assert "kolada.tasks.benchmark_refresh_task" in JOB_LABELS
