"""The demo's year reports: a completed delårsrapport 2026 for the city compiled from at least
three nämnder's approved sections, and an årsredovisning 2026 with sections in every state."""

import pytest

from yearreports.models import Report, ReportSection, SectionState

from .test_demo import demo  # noqa: F401 - the module's loaded demo city

pytestmark = pytest.mark.django_db  # the test database exists also when this file runs alone


def test_the_citys_interim_report_is_completed_from_three_committees(demo):  # noqa: F811
    city = Report.objects.get(unit__code="helsingborg", occasion__year=2026, occasion__end_month=8)
    assert city.is_completed and city.decision_paragraph == "§ 187"
    text = str(city.document)
    quoted = [name for name in ("Miljönämnden", "Skol- och fritidsnämnden", "Kulturnämnden",
                                "Vård- och omsorgsnämnden") if name in text]  # fmt: skip
    assert len(quoted) >= 3
    assert "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor" in text


def test_the_annual_report_has_sections_in_every_state(demo):  # noqa: F811
    sections = ReportSection.objects.filter(
        report__occasion__year=2026, report__occasion__end_month=12
    )
    states = set(sections.values_list("state", flat=True))
    assert states == {SectionState.DRAFT, SectionState.READY, SectionState.APPROVED}
    assert sections.exclude(returned_reason="").filter(state=SectionState.DRAFT).exists()
    assert not Report.objects.filter(occasion__end_month=12, state="completed").exists()


NAMES = ("Miljönämnden", "Skol- och fritidsnämnden", "Kulturnämnden", "Vård- och omsorgsnämnden")
CLIMATE = "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor"


def _city_interim_report():
    return Report.objects.get(unit__code="helsingborg", occasion__year=2026, occasion__end_month=8)


def test_the_citys_interim_report_downloads_as_word_with_goals_statuses_and_committees(demo):  # noqa: F811
    """Issue 18's check: read back with python-docx, as a municipality's secretary opens it."""
    import io

    import docx
    from django.test import Client

    response = Client().get(f"/rapporter/{_city_interim_report().pk}/rapport.docx")  # public
    assert response.status_code == 200
    word = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    text = "\n".join(p.text for p in word.paragraphs)
    rows = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert "Måluppfyllelse" in " ".join(headings)
    climate = [" ".join(row) for row in rows if CLIMATE in row]  # goal tables, forecast table
    assert climate and any("uppfyllt" in row.lower() for row in climate)  # with its status
    assert sum(name in text for name in NAMES) >= 3  # the committees' quoted texts
    assert any("Målvärde" in " ".join(row) for row in rows)  # a metric table's header


def test_the_citys_interim_report_downloads_as_pdf_with_the_same(demo, tmp_path):  # noqa: F811
    import shutil
    import subprocess

    from django.test import Client

    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils")
    response = Client().get(f"/rapporter/{_city_interim_report().pk}/rapport.pdf")
    assert response.status_code == 200
    (tmp_path / "r.pdf").write_bytes(response.content)
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert CLIMATE in flat and "Målvärde" in flat
    assert sum(name in flat for name in NAMES) >= 3
