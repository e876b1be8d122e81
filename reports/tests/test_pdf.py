"""PDF reports: rendered with WeasyPrint, read back with pdftotext and pypdf."""

import base64
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_scorecard,
    make_strategy,
    make_target,
)
from followup.charts import ChartPoint, ChartTarget, trend_alt, trend_svg
from followup.models import Assessment, FollowUpOccasion, Measurement, SummaryAnalysis
from followup.status import Status
from reports.pdf import chart_image
from scorecards.models import Comparator, Frequency

LONG = (
    "Energianvändningen har minskat i de flesta lokaler efter att ventilationen styrs efter "
    "närvaro. Skolorna i norr ligger fortfarande över målet, och en åtgärdsplan tas fram "
    "tillsammans med fastighetsförvaltningen. "
) * 12


def text_of(pdf: bytes) -> str:
    """The text as poppler's pdftotext reads it (pypdf when poppler-utils is missing)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        done = subprocess.run(  # noqa: S603 - a fixed program on our own PDF
            [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        )
        return done.stdout.decode()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def structure(pdf: bytes) -> list[tuple[str, str | None]]:
    """The tagged PDF's structure elements in reading order: (tag, alternative text)."""
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    found = []

    def walk(node):
        node = node.get_object()
        if "/S" in node:
            found.append((node["/S"], node.get("/Alt")))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if hasattr(kid, "get"):  # a structure element, not a marked-content id
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertialrapport T1", end_month=4, deadline=date(2026, 5, 15)
    )


@pytest.fixture
def big(world, occasion):
    """A scorecard with 60 metrics over 12 goals, three years of values and long analyses."""
    card = make_scorecard(
        world.unit_a, decided_by="Miljönämnden", paragraph="42", diary_number="MN 2025/17"
    )
    perspectives = make_perspectives()
    for g in range(12):
        goal = make_goal(card, f"Mål nummer {g + 1} om klimat", perspective=perspectives[g % 4])
        make_strategy(goal, "Styr ventilationen efter närvaro")
        Assessment.objects.create(
            goal=goal, occasion=occasion, status="close", analysis=LONG, forecast="Nås i år."
        )
        for i in range(5):
            n = g * 5 + i + 1
            ind = make_indicator(f"Mätetal nr {n:02d} energi", frequency=Frequency.TERTIAL)
            make_target(make_metric(goal, ind, order=i), 100 + n, comparator=Comparator.LTE)
            for year in (2024, 2025, 2026):
                for month in (4, 8, 12) if year < 2026 else (4,):
                    Measurement.objects.create(
                        indicator=ind, unit=card.unit, year=year, month=month,
                        value=Decimal(90 + n + month - (year - 2024) * 3),
                    )  # fmt: skip
    SummaryAnalysis.objects.create(scorecard=card, occasion=occasion, text=LONG)
    return card


def test_the_followup_report_paginates_cleanly_with_every_metric(client, big, occasion):
    """60 metrics and long analyses: many pages, every metric named, no table without header."""
    response = client.get(reverse("followup_pdf", args=[big.pk, occasion.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = text_of(pdf)
    count = pages(pdf)
    assert count >= 8
    for n in range(1, 61):
        assert f"Mätetal nr {n:02d} energi" in text
    assert "Tertialrapport T1 2026" in text and "Miljöförvaltningen" in text
    assert "Miljönämnden, § 42, dnr MN 2025/17" in text  # the decision on the cover
    assert "januari–april 2026" in text
    assert f"Sida 2 av {count}" in text and f"Sida {count} av {count}" in text
    assert "◆ Delvis uppfyllt" in text  # status as symbol and text
    assert "PRELIMINÄR" in text  # the occasion is not locked
    reader = PdfReader(io.BytesIO(pdf))
    with_rows = [p.extract_text() for p in reader.pages if "max 1" in (p.extract_text() or "")]
    assert len(with_rows) >= 4
    assert all("Utfall t.o.m. april" in page for page in with_rows)  # headers repeat
    assert text.count("År (tertialvärden)") == 60  # a trend chart per metric, axis and all
    # Tagged (PDF/UA-1): headings, tables, and each chart a figure that says what it shows.
    tags = structure(pdf)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD"} <= {tag for tag, _ in tags}
    figures = [alt for tag, alt in tags if tag == "/Figure"]
    assert len(figures) == 60
    assert figures[0] == (  # the chart's words (followup.charts.trend_alt)
        "Utfall över tid: Mätetal nr 01 energi. 7 utfall från T1 2024 till T1 2026. "
        "Senaste utfall 89,0\u00a0% (T1 2026): Uppfyllt. Målvärde 2026: max 101,0 %. "
        "Sedan T1 2024 har värdet minskat med 6,0\u00a0%, en försämring. "
        "1 av 1 utfall med målvärde når målet."
    )
    titles = {alt.split(". ")[0] for alt in figures}
    assert titles == {f"Utfall över tid: Mätetal nr {n:02d} energi" for n in range(1, 61)}
    assert all(". 7 utfall från T1 2024 till T1 2026. " in alt for alt in figures)


def test_a_chart_becomes_an_image_with_its_words_as_alternative_text():
    chart = {
        "title": "Utfall över tid: Energi <&>",
        "unit": "kWh/m²",
        "points": [ChartPoint(2026, 3, Decimal(150), Status.MET)],
        "targets": [ChartTarget(2026, (Decimal(160),), "max 160,0 kWh/m²")],
    }
    svg = trend_svg(**chart, for_print=True)
    img = chart_image(svg, trend_alt(**chart))
    assert img.startswith('<img class="chart" src="data:image/svg+xml;base64,')
    alt = re.search(r'alt="([^"]*)"', img)[1]
    assert alt.startswith("Utfall över tid: Energi &lt;&amp;&gt;. 1 utfall")
    assert alt.endswith(".") and "max 160,0" in alt
    src = re.search(r'src="data:image/svg\+xml;base64,([^"]*)"', img)[1]
    assert base64.b64decode(src).decode() == svg


def test_the_scorecard_report(client, world, chain):
    response = client.get(reverse("scorecard_pdf", args=[chain.city.pk]))
    text = text_of(response.content)
    assert "Styrkort 2026" in text and "Staden" in text
    assert "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor" in text
    assert "Energianvändning i kommunala lokaler" in text and "max 160,0 kWh/m²" in text
    assert "✔ Uppfyllt" in text
    assert "Kommunfullmäktige, § 12" in text


def test_a_draft_is_404_for_outsiders_and_marked_for_insiders(client, world, chain):
    draft = chain.draft.scorecard
    url = reverse("scorecard_pdf", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.editor)
    assert client.get(url).status_code == 404
    client.force_login(world.reader)
    assert "UTKAST" in text_of(client.get(url).content)


def test_an_occasion_of_another_year_is_404(client, chain, occasion):
    occasion.year = 2025
    occasion.save()
    assert client.get(reverse("followup_pdf", args=[chain.city.pk, occasion.pk])).status_code == 404


def test_a_report_never_fetches_an_outside_resource_and_is_still_made():
    import http.server
    import threading

    from reports.pdf import layout_pdf

    asked = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        html = (
            f'<link rel="stylesheet" href="{url}/s.css"><p>Text</p><img src="{url}/x.png" alt="x">'
        )
        pdf = layout_pdf(html)
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF-")
    assert asked == []
