"""A report as a yearreports.document.Document: its visible sections' texts and data blocks as
they stand now. Completing a report stores this; the pages of a report still being written draw
it live."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.wording import municipality_words

from . import blocks
from .document import SCHEMA, Document


def _decision(report) -> dict | None:
    if not report.decision_body:
        return None
    return {
        "body": report.decision_body,
        "date": report.decision_date.isoformat() if report.decision_date else "",
        "paragraph": report.decision_paragraph,
        "diary_number": report.decision_diary_number,
    }


def section_blocks(section, report) -> list[dict]:
    found = []
    if section.free_text and section.text:
        found.append({"type": "html", "html": section.text})
    for key in section.blocks:
        found.extend(blocks.build(key, report))
    return found


def build_document(report) -> Document:
    sections = [s for s in report.sections.all() if not s.hidden]
    return {
        "schema": SCHEMA,
        "language": "sv",
        "title": f"{report.template.name} {report.occasion.year}",
        "unit": report.unit.name,
        "municipality": municipality_words().name,
        "occasion": str(report.occasion),
        "state": _("Fastställd") if report.is_completed else _("Utkast – ej fastställd"),
        "decision": _decision(report),
        "frozen_at": (report.completed_at or timezone.now()).isoformat()
        if report.is_completed
        else None,
        "sections": [{"heading": s.heading, "blocks": section_blocks(s, report)} for s in sections],
    }


def document_of(report) -> Document:
    """What every page and export draws: the frozen document of a completed report, the live one
    of a report still being written."""
    if report.is_completed and report.document:
        return report.document
    return build_document(report)
