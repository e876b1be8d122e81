"""Reports as background jobs: a PDF rendered by the worker, a large import applied by it.

The pages still render PDFs and apply imports in the request (they take seconds at the sizes
bench/ measures); these jobs are for what should not hold a request: many PDFs for a committee
meeting, an import of tens of thousands of values. A PDF job's file is kept in the job's
result, in the database, so any app server can hand it out (``/drift/jobb/<id>/fil``) until
``manage.py prune_db_task_results`` removes old results.
"""

import base64

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from core.jobs import retrying
from scorecards.models import Scorecard

from .data import cards_for_report, scorecard_report
from .imports import NotApplicable, batch_apply
from .models import ImportBatch
from .pdf import render_pdf


@task()
@retrying(attempts=2)
def scorecard_pdf_task(*, scorecard_id: int) -> dict:
    """The scorecard's PDF report, as the page ``scorecard_pdf`` renders it."""
    card = cards_for_report(Scorecard.objects.all()).get(pk=scorecard_id)
    context = {"card": card, "report": scorecard_report(card), "generated": timezone.now()}
    data = render_pdf("reports/pdf/scorecard.html", context)
    return {
        "summary": f"{card} – PDF, {len(data)} byte",
        "filename": f"styrkort-{card.unit.code}-{card.year}.pdf",
        "content_type": "application/pdf",
        "file_base64": base64.b64encode(data).decode("ascii"),
    }


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
