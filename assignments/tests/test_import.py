"""Importing assignments from a real .xlsx: template, preview with row errors, all-or-nothing."""

import io
from datetime import date, datetime

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assignments.imports import COLUMNS
from assignments.models import Assignment
from reports.imports.registers import XLSX


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _xlsx(rows, header=None) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Uppdrag"
    ws.append(["Hjälptext"])
    ws.append(header or list(COLUMNS.values()))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("uppdrag.xlsx", out.getvalue(), content_type=XLSX)


def _upload(client, world, upload):
    return client.post(
        reverse("assignment_import"), {"fil-issuer": world.unit_a.pk, "fil-file": upload}
    )


def _row(world, **kw):
    values = {
        "titel": "Byta till LED",
        "text": "Byt belysningen.",
        "beslutande organ": "Miljönämnden",
        "beslutsdatum": datetime(2026, 2, 10),
        "paragraf": "7",
        "diarienummer": "MN 2026/7",
        "mottagande enheter": f"{world.unit_a1.code}, {world.unit_a.code}",
        "sista dag": "2026-12-31",
    } | kw
    return [values[word] for word in COLUMNS.values()]


def test_the_template_has_the_header_row(world):
    response = _client(world.editor).get(reverse("assignment_import_template"))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]] == list(COLUMNS.values())


def test_preview_then_confirm_creates_every_row_through_the_rules(world):
    client = _client(world.editor)
    upload = _xlsx([_row(world), _row(world, titel="Andra uppdraget", **{"sista dag": None})])
    response = _upload(client, world, upload)
    assert response.status_code == 302
    preview = client.get(reverse("assignment_import_preview"))
    assert "Byta till LED" in preview.content.decode()
    assert not Assignment.objects.exists()  # the preview writes nothing
    response = client.post(reverse("assignment_import_preview"), {"confirm": "1"})
    assert response.status_code == 302
    first = Assignment.objects.get(title="Byta till LED")
    assert first.issuer == world.unit_a and first.decided_on == date(2026, 2, 10)
    assert first.deadline == date(2026, 12, 31) and first.version == 1
    assert {r.unit for r in first.receivers.all()} == {world.unit_a1, world.unit_a}
    assert first.history.count() == 1  # written through rules.assignment_save, with history
    assert Assignment.objects.get(title="Andra uppdraget").deadline is None


def test_bad_cells_give_row_errors_and_nothing_is_saved(world):
    client = _client(world.editor)
    rows = [
        _row(world),
        _row(world, titel="Fel datum", beslutsdatum="31 feb"),
        _row(world, titel="Fel enhet", **{"mottagande enheter": "finns-inte"}),
        _row(world, titel="", text=""),
    ]
    _upload(client, world, _xlsx(rows))
    page = client.get(reverse("assignment_import_preview"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Okänd enhetskod: finns-inte." in text
    assert "Inget sparades." in text and "giltigt datum" in text
    response = client.post(reverse("assignment_import_preview"), {"confirm": "1"})
    assert response.status_code == 302
    assert not Assignment.objects.exists()


def test_a_missing_column_or_a_control_character_is_refused_at_upload(world):
    client = _client(world.editor)
    response = _upload(client, world, _xlsx([["x"]], header=["titel", "text"]))
    assert response.status_code == 200 and "mottagande enheter" in response.content.decode()
    header = ";".join(COLUMNS.values())
    row = f"Dold\x0btext;Text;;;;;{world.unit_a.code};"
    csv = SimpleUploadedFile("uppdrag.csv", f"{header}\n{row}\n".encode(), content_type="text/csv")
    response = _upload(client, world, csv)
    assert response.status_code == 200 and "osynligt tecken" in response.content.decode()
    assert "assignment_import" not in client.session


def test_a_reporter_and_another_units_issuer_are_refused(world):
    assert _client(world.reporter).get(reverse("assignment_import")).status_code == 403
    client = _client(world.editor)
    response = client.post(
        reverse("assignment_import"),
        {"fil-issuer": world.unit_b.pk, "fil-file": _xlsx([_row(world)])},
    )
    assert response.status_code == 200  # unit B is no choice of unit A's editor
    assert "assignment_import" not in client.session


def test_the_assignment_list_links_to_the_import(world):
    page = _client(world.editor).get(reverse("assignment_list"))
    assert reverse("assignment_import") in page.content.decode()
