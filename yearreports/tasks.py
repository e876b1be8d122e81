"""The completed report's PDF laid out by the worker, not by the first person to download it.

A compiled city report takes WeasyPrint minutes at the large benchmark scale (docs/performance.md),
longer than a request may run. Completing a report queues this job; it lays the frozen document
out once, and ``reports.pdf.render_pdf``'s content cache hands the file to every later download.
"""

from django_tasks import task

from core.jobs import retrying

from .build import document_of
from .models import Report


@task()
@retrying(attempts=2)
def report_pdf_task(*, report_id: int) -> dict:
    from .render import to_pdf

    report = Report.objects.select_related("template", "occasion", "unit").get(pk=report_id)
    data = to_pdf(document_of(report))
    return {"summary": f"{report} – PDF, {len(data)} byte"}
