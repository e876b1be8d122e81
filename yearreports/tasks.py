"""A report's files made by the worker, not in a request (``reports.prepared``).

A compiled city report takes WeasyPrint minutes at the large benchmark scale (docs/performance.md),
and Word seconds: longer than a request may run. Completing a report queues the PDF job, so the
frozen document is laid out once before anyone asks; a download that finds no stored file queues
the job itself and shows a page that waits for it.
"""

from django_tasks import task

from core.jobs import retrying
from reports.prepared import tracked

from .files import make


@task()
@retrying(attempts=2)
@tracked
def report_pdf_task(*, report_id: int) -> dict:
    report, data = make(report_id, "pdf")
    return {"summary": f"{report} – PDF, {len(data)} byte"}


@task()
@retrying(attempts=2)
@tracked
def report_docx_task(*, report_id: int) -> dict:
    report, data = make(report_id, "docx")
    return {"summary": f"{report} – Word, {len(data)} byte"}
