"""A completed report downloads as the frozen document: Word read back with python-docx, PDF
with pdftotext, and the web page; a value changed afterwards reaches none of them."""

import io
import shutil
import subprocess
from datetime import date

import docx
import pytest
from django.test import Client

from followup.models import Measurement
from yearreports import workflow
from yearreports.testing import make_report


def complete_city_report(world, chain):
    report = make_report(world.city)
    child = make_report(world.unit_a)
    for section in child.sections.filter(mandatory=True):
        workflow.write(section, world.editor, text="<p>Miljöförvaltningens text</p>", version=None)
        workflow.mark_ready(section, world.editor)
        workflow.approve(section, world.editor)
    for section in report.sections.filter(mandatory=True).order_by("order"):
        workflow.write(section, world.admin, text="<p>Stadens text</p>", version=None)
        for source in workflow.child_sections(section):
            workflow.quote(section, world.admin, source=source, version=None)
        workflow.mark_ready(section, world.admin)
        workflow.approve(section, world.admin)
    decision = workflow.DecisionData("Kommunfullmäktige", date(2026, 10, 28), "§ 123", "KS 1")
    report = workflow.complete(report, world.admin, decision=decision)
    Measurement.objects.filter(indicator=chain.energy).update(value=999)  # after completion
    return report


@pytest.fixture
def completed(world, chain):
    return complete_city_report(world, chain)


def test_completing_has_the_worker_lay_out_the_pdf_before_anyone_downloads_it(
    world, chain, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        report = complete_city_report(world, chain)
    assert len(queued) == 1  # the job, once the completion is committed
    import reports.pdf

    def no_layout_in_the_request(*args):
        raise AssertionError("laid out in the request")

    monkeypatch.setattr(reports.pdf, "_layout", no_layout_in_the_request)
    response = Client().get(f"/rapporter/{report.pk}/rapport.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_word_file_holds_the_frozen_report(completed):
    response = Client().get(f"/rapporter/{completed.pk}/rapport.docx")  # public once adopted
    assert response.status_code == 200
    word = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "Måluppfyllelse" in text and "Miljöförvaltningens text" in text
    assert "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor" in cells
    assert "150,0 kWh/m²" in cells and "999" not in cells


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_holds_the_frozen_report(completed, tmp_path):
    response = Client().get(f"/rapporter/{completed.pk}/rapport.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    pdftotext = shutil.which("pdftotext")
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True).stdout  # noqa: S603
    assert "Miljöförvaltningens text" in text and "Måluppfyllelse" in text


def test_the_web_page_and_the_report_page_show_the_frozen_report(completed):
    client = Client()
    for url in (f"/rapporter/{completed.pk}/dokument/", f"/rapporter/{completed.pk}/"):
        body = client.get(url).content.decode()
        assert "Miljöförvaltningens text" in body and "150,0 kWh/m²" in body, url
        assert "999" not in body, url
