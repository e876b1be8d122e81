"""A report's Word and PDF files: their content keys and how the worker makes them.

The key is a hash of the document the file shows (the frozen one once completed, the live one
of a draft), the Word template in use and the renderers' versions: a report changed after its
file was made gets a new key, so the old file is never handed out for it (``reports.prepared``).
"""

import importlib.metadata
import json

from core import word_template
from reports import prepared

from .build import document_of
from .models import Report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
KINDS = ("docx", "pdf")


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def file_key(kind: str, document) -> str:
    parts = [kind, _version("styrkort"), json.dumps(document, sort_keys=True, default=str)]
    if kind == "pdf":
        parts.append(_version("weasyprint"))
    else:
        parts += [_version("python-docx"), word_template.current_name()]
    return prepared.content_key(f"yearreports.{kind}", *parts)


def make(report_id: int, kind: str) -> tuple[Report, bytes]:
    """Lay out the report's file and store it under its key (what the worker runs)."""
    from .render import to_docx, to_pdf

    report = Report.objects.select_related("template", "occasion", "unit").get(pk=report_id)
    document = document_of(report)
    if kind == "pdf":
        # Not through reports.pdf's cache as well: this key holds it, once.
        data = to_pdf(document, cache=False)
    else:
        data = to_docx(document, template_path=word_template.template_file())
    prepared.store(file_key(kind, document), data)
    return report, data
