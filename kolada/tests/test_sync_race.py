"""Two syncs started at exactly the same moment: only one may claim; the other is told that a
sync is under way, never a 500. The database decides (one_active_kolada_sync_run).

The threads are held at a barrier just before their insert (a ``pre_save`` receiver), after
both have checked that no run is active: the very moment the check alone cannot settle.
Threads on one database need PostgreSQL; SQLite's test database serialises them.
"""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.testing import make_indicator
from kolada.models import BenchmarkRefresh, SyncRun
from kolada.runs import BUSY, claim
from kolada.sync import kolada_sync

from .conftest import serve_sync
from .test_sync_background import DB_QUEUE

ACTIVE = (SyncRun.Status.QUEUED, SyncRun.Status.RUNNING)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two writers at once need PostgreSQL"
)


@pytest.fixture
def together():
    """Run callables in threads that meet just before inserting an active row."""
    barrier = threading.Barrier(2, timeout=10)

    def meet(sender, instance, **kwargs):
        if instance.pk is None and instance.status in ACTIVE:
            barrier.wait()

    def run(*calls):
        results: list = [None] * len(calls)
        errors: list = []

        def work(i, call):
            try:
                results[i] = call()
            except Exception as error:  # a 500 would surface here
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        return results

    for model in (SyncRun, BenchmarkRefresh):
        pre_save.connect(meet, sender=model, dispatch_uid=f"race-{model.__name__}")
    yield run
    for model in (SyncRun, BenchmarkRefresh):
        pre_save.disconnect(sender=model, dispatch_uid=f"race-{model.__name__}")


def test_the_database_refuses_a_second_active_run(db):
    SyncRun.objects.create(started_at=timezone.now(), status=SyncRun.Status.QUEUED)
    SyncRun.objects.create(started_at=timezone.now(), status=SyncRun.Status.FAILED)
    with pytest.raises(IntegrityError), transaction.atomic():
        SyncRun.objects.create(started_at=timezone.now(), status=SyncRun.Status.RUNNING)


@needs_postgres
@pytest.mark.django_db(transaction=True)  # sqlmigrate of a non-atomic migration
def test_postgres_builds_the_index_without_stopping_writes():
    """The migration linter lists 0003 as an exception (any unique index on an existing table
    is flagged); what it would check, that the build takes no write lock, is checked here."""
    out = StringIO()
    call_command("sqlmigrate", "kolada", "0003_sync_run_one_active", stdout=out)
    sql = out.getvalue()
    assert 'CREATE UNIQUE INDEX CONCURRENTLY "one_active_kolada_sync_run"' in sql
    assert "WHERE \"status\" IN ('queued', 'running')" in sql


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_claims_at_the_same_moment_one_wins(together):
    results = together(
        lambda: claim(None, user=None, job_id="job-a"),
        lambda: claim(None, user=None, job_id="job-b"),
    )
    assert sorted(r == BUSY for r in results) == [False, True]
    winner = SyncRun.objects.get()
    assert winner.status == SyncRun.Status.RUNNING


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_syncs_started_at_once_one_syncs_and_one_is_told_it_runs(
    together, kolada_city, kolada_server, kolada_settings
):
    serve_sync(kolada_server)
    reports = together(kolada_sync, kolada_sync)
    assert sorted(r.ok for r in reports) == [False, True]
    refused = next(r for r in reports if not r.ok)
    assert refused.error == "En synkronisering pågår redan. Vänta tills den är klar."
    assert refused.run is None
    assert SyncRun.objects.get().status == SyncRun.Status.SUCCEEDED


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_queue_one_sync_and_neither_is_a_500(
    together, world, settings
):
    settings.TASKS = DB_QUEUE  # queued only: the worker is not what is tested
    url = reverse("sync_status")

    def click():
        client = Client()
        client.force_login(world.admin)
        response = client.post(url, follow=True)
        return response.status_code, response.content.decode()

    answers = together(click, click)
    assert [status for status, _ in answers] == [200, 200]
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.QUEUED and DBTaskResult.objects.count() == 1
    texts = [text for _, text in answers]
    assert sum("Synkroniseringen är köad" in t for t in texts) == 1
    assert sum("redan köad eller pågår" in t for t in texts) == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_benchmark_refreshes_at_the_same_moment_queue_one(together, world, settings):
    settings.TASKS = DB_QUEUE
    sick = make_indicator("Sjukfrånvaro", kolada_kpi="N00090")
    url = reverse("benchmark", args=[sick.pk])

    def click():
        client = Client()
        client.force_login(world.editor)
        response = client.post(url, follow=True)
        return response.status_code, response.content.decode()

    answers = together(click, click)
    assert [status for status, _ in answers] == [200, 200]
    assert BenchmarkRefresh.objects.get().status == BenchmarkRefresh.Status.QUEUED
    assert DBTaskResult.objects.count() == 1
    assert sum("redan köad eller pågår" in text for _, text in answers) == 1
