"""Assignments in the follow-up workbook, the reminders and the report's data block."""

import io
from datetime import date

import openpyxl
from django.core import mail
from django.test import Client
from django.urls import reverse

from assignments import rules
from assignments.exports import report_blocks
from assignments.models import AssignmentReceiver
from followup.reminders import send_reminders
from yearreports.document import problems


def _report(assignment, unit, occasion, status="ongoing", comment="Pågår enligt plan"):
    return rules.report_save(
        receiver=AssignmentReceiver.objects.get(assignment=assignment, unit=unit),
        occasion=occasion,
        user=None,
        status=status,
        comment=comment,
        version=0,
    )


def test_the_occasion_workbook_has_a_sheet_of_assignments(world, assignment, occasion):
    _report(assignment, world.unit_a1, occasion)
    client = Client()
    client.force_login(world.reporter)  # reads unit A and below: Energienheten only
    response = client.get(reverse("occasion_export", args=[occasion.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Uppdrag"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # The assignment is public, so both receivers are there; each with its own status.
    by_unit = {row[4]: row for row in rows}
    assert by_unit["Energienheten"][7] == "Pågår" and by_unit["Energienheten"][8].startswith(
        "Pågår"
    )
    assert by_unit["Skolförvaltningen"][7] == "Ej rapporterat"
    assert by_unit["Skolförvaltningen"][9] == "Ja"  # the deadline 2026-06-30 has passed


def test_reporters_are_reminded_of_unreported_assignments(world, assignment, occasion):
    world.reporter.email = "rapportor@example.se"
    world.reporter.save()
    _report(assignment, world.unit_b, occasion)  # Skola has reported; Energienheten has not
    send_reminders(days=30, today=date(2026, 5, 1))
    body = next(m.body for m in mail.outbox if m.to == ["rapportor@example.se"])
    assert "Uppdrag att rapportera – Energienheten" in body
    assert "• Utreda laddplatser" in body


def test_the_report_block_is_a_table_of_the_document(world, assignment, occasion):
    _report(assignment, world.unit_a1, occasion, status="done", comment="Klart")
    blocks = report_blocks(world.unit_a1, occasion)
    assert [b["type"] for b in blocks] == ["heading", "table"]
    table = blocks[1]
    assert table["rows"] == [
        ["Utreda laddplatser", assignment.decision_text, "Energienheten", "2026-06-30",
         "✓ Genomfört", "Klart"]
    ]  # fmt: skip
    document = {
        "schema": 1, "language": "sv", "title": "T", "unit": "U", "municipality": "M",
        "occasion": "O", "state": "S", "decision": None, "frozen_at": None,
        "sections": [{"heading": "Uppdrag", "blocks": blocks}],
    }  # fmt: skip
    assert problems(document) == []
    assert report_blocks(world.unit_a, occasion) == []  # nothing received or issued there
