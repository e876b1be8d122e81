"""A report's files made by the worker, not in a request (``reports.prepared``).

A compiled city report takes WeasyPrint minutes at the large benchmark scale (docs/performance.md),
and Word seconds: longer than a request may run. Completing a report queues both files, so the
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
def report_file_task(*, report_id: int, kind: str = "pdf") -> dict:
    """The report's file of ``kind`` ("pdf" or "docx"), stored under its content key."""
    report, data = make(report_id, kind)
    return {"summary": f"{report} – {kind}, {len(data)} byte"}
