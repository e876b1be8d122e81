"""Reports as background jobs: a PDF rendered by the worker, a large import applied by it.

A PDF report takes seconds to lay out at the sizes bench/ measures, so the pages never do it:
they hand out the file the worker stored, or queue its job and wait for it (``reports.prepared``).
An import of tens of thousands of values is applied here too. A PDF job's file is kept in the job's
result, in the database, so any app server can hand it out (``/drift/jobb/<id>/fil``) until
``manage.py prune_db_task_results`` removes old results.
"""

import base64
from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from core.jobs import retrying
from followup.models import FollowUpOccasion
from scorecards.models import Scorecard

from . import pdf_pages
from .data import cards_for_report
from .imports import NotApplicable, batch_apply
from .models import ImportBatch
from .pdf import pdf_of_html
from .prepared import tracked


def _generated(generated: str) -> date:
    return date.fromisoformat(generated) if generated else timezone.localdate()


def _file(data: bytes, summary: str, filename: str) -> dict:
    return {
        "summary": f"{summary} – PDF, {len(data)} byte",
        "filename": filename,
        "content_type": "application/pdf",
        "file_base64": base64.b64encode(data).decode("ascii"),
    }


@task()
@retrying(attempts=2)
@tracked
def scorecard_pdf_task(*, scorecard_id: int, generated: str = "") -> dict:
    """The scorecard's PDF report, as the page ``scorecard_pdf`` hands it out (``generated``:
    the cover's date, ISO; today when not given)."""
    card = cards_for_report(Scorecard.objects.all()).get(pk=scorecard_id)
    html = pdf_pages.scorecard_html(card, _generated(generated))
    data = pdf_of_html(html, pdf_pages.SCORECARD)
    return _file(data, str(card), pdf_pages.scorecard_filename(card))


@task()
@retrying(attempts=2)
@tracked
def followup_pdf_task(*, scorecard_id: int, occasion_id: int, generated: str = "") -> dict:
    """The scorecard's follow-up report at the occasion, as the page ``followup_pdf`` hands it
    out."""
    card = cards_for_report(Scorecard.objects.all()).get(pk=scorecard_id)
    occasion = FollowUpOccasion.objects.get(pk=occasion_id)
    html = pdf_pages.followup_html(card, occasion, _generated(generated))
    data = pdf_of_html(html, pdf_pages.FOLLOWUP)
    return _file(data, f"{card}, {occasion}", pdf_pages.followup_filename(card, occasion))


@task()
@retrying(attempts=2)
def import_apply_task(*, batch_id: str, user_id: int) -> dict:
    """Apply a previewed import, all or nothing (``reports.imports.batch_apply``). A batch that
    cannot be applied any more is reported, not retried; a database failure is retried."""
    batch = ImportBatch.objects.get(pk=batch_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        batch = batch_apply(batch=batch, user=user)
    except NotApplicable as error:
        return {"summary": error.messages[0], "state": batch.state}
    return {"summary": f"Import {batch.state}", "state": batch.state}
