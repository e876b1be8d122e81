"""A report's Word and PDF files are made by the worker, never in the request: a download hands
out the stored file, or queues the job and shows a page that waits for it; a report changed
after its file was made gets a new file, never the old one; a failed job says so.

Real queue (django-tasks-db) and real worker (``db_worker``), real Word files read back."""

import io

import docx
import pytest
from django.test import Client, override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

import reports.pdf
from core.tests.test_jobs import DB_QUEUE, run_worker
from yearreports import workflow
from yearreports.testing import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world, chain):
    report = make_report(world.city)
    section = report.sections.order_by("order").first()
    workflow.write(section, world.admin, text="<p>Första texten</p>", version=None)
    return report


@pytest.fixture
def admin(world):
    client = Client()
    client.force_login(world.admin)
    return client


def word_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def jobs(kind: str):
    found = DBTaskResult.objects.filter(task_path="yearreports.tasks.report_file_task")
    return found.filter(args_kwargs__kwargs__kind=kind)


@override_settings(TASKS=DB_QUEUE)
def test_no_file_yet_queues_the_job_and_a_page_waits_for_it(draft, admin):
    url = f"/rapporter/{draft.pk}/rapport.docx"
    response = admin.get(url)
    assert response.status_code == 202
    page = response.content.decode()
    assert "Word-filen står i kö" in page and "Uppdatera sidan" in page
    assert response["Refresh"] == f"3; url={url}?vanta=1"  # refreshes itself, no JavaScript
    assert jobs("docx").count() == 1
    assert admin.get(f"{url}?vanta=1").status_code == 202
    assert admin.get(url).status_code == 202
    assert jobs("docx").count() == 1  # waiting does not queue the job again

    run_worker()
    ready = admin.get(f"{url}?vanta=1")
    assert ready.status_code == 200 and "Refresh" not in ready
    assert (
        "Word-filen är klar" in ready.content.decode() and f'href="{url}"' in ready.content.decode()
    )
    response = admin.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "Första texten" in word_text(response.content)


@override_settings(TASKS=DB_QUEUE)
def test_a_stored_file_is_handed_out_without_making_it_again(draft, admin, monkeypatch):
    url = f"/rapporter/{draft.pk}/rapport.pdf"
    admin.get(url)
    run_worker()
    assert jobs("pdf").get().status == TaskResultStatus.SUCCESSFUL

    def no_layout(*args):
        raise AssertionError("laid out again")

    monkeypatch.setattr(reports.pdf, "_layout", no_layout)
    response = admin.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert jobs("pdf").count() == 1


@override_settings(TASKS=DB_QUEUE)
def test_a_report_changed_after_its_file_was_made_gets_a_new_file(draft, admin, world):
    url = f"/rapporter/{draft.pk}/rapport.docx"
    admin.get(url)
    run_worker()
    assert "Första texten" in word_text(admin.get(url).content)

    section = draft.sections.order_by("order").first()
    workflow.write(section, world.admin, text="<p>Andra texten</p>", version=section.version)
    response = admin.get(url)
    assert response.status_code == 202  # not the stored file: it shows the old text
    assert jobs("docx").count() == 2
    run_worker()
    text = word_text(admin.get(url).content)
    assert "Andra texten" in text and "Första texten" not in text


@override_settings(TASKS=DB_QUEUE)
def test_a_failed_job_says_so_and_offers_to_try_again(draft, admin, monkeypatch):
    def broken_layout(*args):  # a fault injected where WeasyPrint would lay the report out
        raise RuntimeError("sidan går inte att bryta")

    monkeypatch.setattr(reports.pdf, "_layout", broken_layout)
    url = f"/rapporter/{draft.pk}/rapport.pdf"
    admin.get(url)
    run_worker()
    assert jobs("pdf").filter(status=TaskResultStatus.FAILED).count() == 1

    response = admin.get(f"{url}?vanta=1")
    page = response.content.decode()
    assert response.status_code == 200 and "Refresh" not in response
    assert "PDF:en kunde inte tas fram" in page and "sidan går inte att bryta" in page
    assert "Försök igen" in page and f'href="{url}"' in page
    queued = jobs("pdf").count()  # the failed one and the worker's own retry, later
    admin.get(f"{url}?vanta=1")
    assert jobs("pdf").count() == queued  # the waiting page does not try again by itself
    assert admin.get(url).status_code == 202  # "Försök igen" does
    assert jobs("pdf").count() == queued + 1


def test_without_a_worker_the_file_is_handed_out_at_once(draft, admin):
    """The immediate backend (tests, a demo without a worker) has made the file when the job
    is queued: the download hands it out in the same answer."""
    response = admin.get(f"/rapporter/{draft.pk}/rapport.docx")
    assert response.status_code == 200 and "Första texten" in word_text(response.content)


@override_settings(TASKS=DB_QUEUE)
def test_a_visitor_who_may_not_read_the_draft_gets_no_file_and_queues_no_job(draft):
    assert Client().get(f"/rapporter/{draft.pk}/rapport.pdf").status_code == 404
    assert not DBTaskResult.objects.exists()


@override_settings(TASKS=DB_QUEUE)
def test_the_waiting_page_says_when_no_worker_is_running(draft, admin):
    from django.utils import timezone

    from core.models import WorkerHeartbeat

    url = f"/rapporter/{draft.pk}/rapport.docx"
    warning = "Ingen bakgrundskörare är igång just nu"
    assert warning in admin.get(url).content.decode()  # queued, and nobody to run it

    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", started_at=now, last_seen=now)
    assert warning not in admin.get(f"{url}?vanta=1").content.decode()
