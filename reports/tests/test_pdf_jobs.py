"""The scorecard and follow-up PDF reports are laid out by the worker, never in the request:
the page hands out the stored file or queues the job and waits for it (``reports.prepared``).
Real queue (django-tasks-db), real worker, real PDFs read back."""

from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry, Event
from core.tests.test_jobs import DB_QUEUE, run_worker
from followup.models import FollowUpOccasion, Measurement
from reports.tests.test_pdf import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("chain")]


@pytest.fixture(params=["scorecard", "followup"])
def report(request, chain):
    if request.param == "scorecard":
        return reverse("scorecard_pdf", args=[chain.city.pk]), "reports.tasks.scorecard_pdf_task"
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertialrapport T1", end_month=4, deadline=date(2026, 5, 15)
    )
    url = reverse("followup_pdf", args=[chain.city.pk, occasion.pk])
    return url, "reports.tasks.followup_pdf_task"


@override_settings(TASKS=DB_QUEUE)
def test_the_worker_lays_the_report_out_and_the_page_waits_for_it(client, report, chain):
    url, task_path = report
    response = client.get(url)
    assert response.status_code == 202 and "PDF:en står i kö" in response.content.decode()
    assert response["Refresh"].endswith(f"url={url}?vanta=1")
    assert DBTaskResult.objects.filter(task_path=task_path).count() == 1
    run_worker()
    assert DBTaskResult.objects.get(task_path=task_path).status == TaskResultStatus.SUCCESSFUL
    assert "PDF:en är klar" in client.get(f"{url}?vanta=1").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    # Rendered without a request, the report still names the municipality on its cover.
    assert "150,0" in text and "Helsingborgs stad" in text

    value = Measurement.objects.get(indicator=chain.energy, unit=chain.city.unit, month=3)
    value.value = 147.5
    value.save()
    assert client.get(url).status_code == 202  # the stored file shows the old value
    run_worker()
    text = text_of(client.get(url).content)
    assert "147,5" in text and "150,0" not in text


@override_settings(TASKS=DB_QUEUE)
def test_an_english_readers_file_is_made_in_english_and_arrives(client, report):
    """The key is the hash of the page's HTML in the reader's language: the worker makes the
    file in that language too, so it lands under the key the page waits on (made in Swedish it
    went under another key, and the waiting page queued the job again on every refresh)."""
    url, task_path = report
    client.cookies["django_language"] = "en"
    assert client.get(url).status_code == 202
    run_worker()
    assert client.get(f"{url}?vanta=1").status_code == 200  # done: no Refresh, a link
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert DBTaskResult.objects.filter(task_path=task_path).count() == 1  # queued once


@override_settings(TASKS=DB_QUEUE)
def test_a_drafts_pdf_is_audited_when_handed_out_not_while_waiting(client, chain, world):
    """The waiting page refreshes every few seconds; the audit log records the export once,
    when the file itself is handed out."""
    client.force_login(world.admin)
    url = reverse("scorecard_pdf", args=[chain.draft.scorecard.pk])
    for _ in range(3):
        assert client.get(url).status_code == 202
    assert not AuditEntry.objects.filter(event=Event.EXPORT).exists()
    run_worker()
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(event=Event.EXPORT).count() == 1
