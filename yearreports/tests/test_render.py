"""The renderers read back from real files: Word through python-docx, PDF through pdftotext and
pypdf, HTML as text. The city's delårsrapport is built by hand in ``documents.py``."""

import shutil
import subprocess
import zipfile
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from yearreports.document import problems
from yearreports.render import to_docx, to_html, to_pdf
from yearreports.render.word import TemplateError

from .documents import CHART_ALT, GOAL, NAMNDER, city_report


def read_docx(data: bytes):
    return docx.Document(BytesIO(data))


def body_text(word) -> str:
    return "\n".join(p.text for p in word.paragraphs)


def test_the_hand_built_report_is_a_valid_document():
    assert problems(city_report()) == []


# Word ---------------------------------------------------------------------------------------


def test_word_file_has_cover_headings_texts_and_decision():
    word = read_docx(to_docx(city_report()))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Inledning", "Miljö och klimat", "Ekonomi"]
    assert [p.text for p in word.paragraphs if p.style.name == "Title"] == ["Delårsrapport 2026"]
    assert "Viktiga händelser" in [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    text = body_text(word)
    for name in NAMNDER:
        assert f"Text från {name}" in text
    assert "Miljönämnden har minskat energianvändningen med 4 %." in text
    assert "Avsnittet har inget innehåll." in text  # the empty section
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    assert "Fastställd av Kommunfullmäktige 2026-10-28 § 123, dnr KS 2026/123" in header
    assert word.core_properties.title == "Delårsrapport 2026"
    assert word.core_properties.subject == "Helsingborgs stad – Delår augusti 2026"


def test_word_formatting_lists_links_and_quotes():
    word = read_docx(to_docx(city_report()))
    bold = [r.text for p in word.paragraphs for r in p.runs if r.bold]
    assert "energianvändningen" in bold
    styles = {p.text: p.style.name for p in word.paragraphs}
    assert styles["Dunkers kulturhus"] == "List Bullet"
    assert styles["solceller på taket"] == "List Bullet 2"
    assert styles["Hemtjänsten"] == "List Number"
    assert styles["Året präglas av omställning."] == "Quote"
    links = word.element.body.findall(f".//{qn('w:hyperlink')}")
    assert len(links) == 1
    target = word.part.rels[links[0].get(qn("r:id"))].target_ref
    assert target == "https://helsingborg.se/klimat"


def test_word_tables_have_a_repeating_header_row_and_right_aligned_figures():
    word = read_docx(to_docx(city_report()))
    by_header = {tuple(c.text for c in t.rows[0].cells): t for t in word.tables}
    goals = by_header[("Mål", "Status")]
    assert [c.text for c in goals.rows[1].cells] == [GOAL, "◐ Delvis uppfyllt"]
    metrics = by_header[("Mått", "Utfall 2025", "Utfall 2026", "Målvärde", "Status")]
    assert metrics.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert metrics.rows[1]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    assert metrics.rows[1].cells[1].paragraphs[0].alignment == 2  # right
    assert metrics.rows[1].cells[0].paragraphs[0].alignment is None
    assert metrics.style.name == "Table Grid"
    # The writer's own table (in the rich text) marks its <thead> row as the header too.
    own = by_header[("Händelse", "Månad")]
    assert own.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_word_chart_is_an_image_with_alt_text_and_caption():
    word = read_docx(to_docx(city_report()))
    pictures = word.element.body.findall(".//" + qn("wp:docPr"))
    assert [p.get("descr") for p in pictures] == [CHART_ALT]
    assert word.inline_shapes[0].width > 0
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert CHART_ALT in captions  # it starts with the title, which is not repeated
    image = next(r for r in word.part.rels.values() if "image" in r.reltype).target_part
    assert image.blob.startswith(b"\x89PNG")


def test_word_fields_language_and_page_numbers():
    data = to_docx(city_report())
    word = read_docx(data)
    instructions = [t.text for t in word.element.body.iter(qn("w:instrText"))]
    assert any('TOC \\o "1-3"' in i for i in instructions)
    assert "Innehållsförteckningen fylls i av Word när dokumentet öppnas" in body_text(word)
    footer = word.sections[0].footer._element
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    lang = word.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "sv-SE"
    assert word.settings.element.find(qn("w:updateFields")) is not None
    assert round(word.sections[0].page_width.cm, 1) == 21.0  # A4 without a template


def make_template(path, *, drop=()):
    """A municipality's template: Georgia 23 pt headings, a header with the city's name and a
    paragraph of sample text that must not reach the report."""
    template = docx.Document()
    heading = template.styles["Heading 1"]
    heading.font.name, heading.font.size = "Georgia", Pt(23)
    template.sections[0].header.paragraphs[0].text = "Helsingborgs stad – mall"
    template.add_paragraph("Mallens exempeltext")
    for name in drop:
        element = template.styles[name].element
        element.getparent().remove(element)
    template.save(path)
    return path


def test_word_template_styles_header_and_page_setup_survive(tmp_path):
    template = make_template(tmp_path / "mall.docx")
    word = read_docx(to_docx(city_report(), template_path=template))
    heading = word.styles["Heading 1"]
    assert (heading.font.name, heading.font.size) == ("Georgia", Pt(23))
    assert "Mallens exempeltext" not in body_text(word)
    header = [p.text for p in word.sections[0].header.paragraphs]
    assert header[0] == "Helsingborgs stad – mall"
    assert any("dnr KS 2026/123" in line for line in header[1:])
    assert word.sections[0].page_width == docx.shared.Inches(8.5)  # the template's, untouched


def test_word_template_as_dotx_and_as_open_file(tmp_path):
    source = make_template(tmp_path / "mall.docx")
    dotx = tmp_path / "mall.dotx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dotx, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(item, content)
    with pytest.raises(ValueError):  # python-docx alone refuses a template
        docx.Document(str(dotx))
    with open(dotx, "rb") as handle:
        word = read_docx(to_docx(city_report(), template_path=handle))
    assert word.styles["Heading 1"].font.name == "Georgia"
    assert "Delårsrapport 2026" in body_text(word)


def test_word_template_without_list_styles_still_shows_bullets_and_numbers(tmp_path):
    template = make_template(
        tmp_path / "mall.docx", drop=("List Bullet", "List Number", "Caption", "Table Grid")
    )
    word = read_docx(to_docx(city_report(), template_path=template))
    texts = [p.text for p in word.paragraphs]
    assert "• Dunkers kulturhus" in texts
    assert "1. Hemtjänsten" in texts and "2. LSS" in texts
    assert word.styles["Heading 1"].font.name == "Georgia"


def test_not_a_word_file_is_refused(tmp_path):
    bad = tmp_path / "mall.docx"
    bad.write_bytes(b"%PDF-1.7 not a word file")
    with pytest.raises(TemplateError):
        to_docx(city_report(), template_path=bad)


# PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "delarsrapport.pdf"
    path.write_bytes(to_pdf(city_report(), cache=False))
    return path


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_pdf_text(pdf):
    command = [shutil.which("pdftotext"), "-layout", str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    flat = " ".join(text.split())
    assert "Delårsrapport 2026" in flat
    assert GOAL in flat and "◐ Delvis uppfyllt" in flat
    for name in NAMNDER:
        assert f"Text från {name}" in flat
    assert "Kulturnämnden har ställt om två bibliotek till solel." in flat
    assert "Energianvändning 165 kWh/m² 160 kWh/m² 155 kWh/m²" in flat
    assert "Fastställd av Kommunfullmäktige 2026-10-28 § 123, dnr KS 2026/123" in flat
    assert "Sida 2 av" in flat


def test_pdf_bookmarks_language_title_and_chart_alt(pdf):
    reader = PdfReader(pdf)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Inledning", "Miljö och klimat", "Ekonomi"]
    nested = [i.title for item in reader.outline if isinstance(item, list) for i in item]
    assert "Nämndernas analyser" in nested and "Viktiga händelser" in nested
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert reader.metadata.title == "Delårsrapport 2026 – Helsingborgs stad"
    assert ("/Figure", CHART_ALT) in structure(reader)  # the chart: a figure with its words
    tags = {tag for tag, _ in structure(reader)}
    assert {"/H1", "/H2", "/Table", "/TH"} <= tags


def structure(reader) -> list[tuple[str, str | None]]:
    """The tagged PDF's structure elements in reading order: (tag, alternative text)."""
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


# HTML ---------------------------------------------------------------------------------------


def test_html_fragment():
    html = to_html(city_report())
    assert html.startswith('<article class="year-report" lang="sv">')
    assert '<th scope="col" class="num">Utfall 2026</th>' in html
    assert "◐ Delvis uppfyllt" in html  # status as text with its symbol
    assert 'role="img"' in html and f'aria-label="{CHART_ALT}"' in html
    assert f"<title>{CHART_ALT}</title>" in html
    assert "stroke-dasharray" in html  # the forecast is dashed
    assert "Text från Kulturnämnden" in html
    assert html.count("<h1") == 1


def test_html_escapes_every_text_and_sanitises_rich_text():
    document = city_report()
    document["title"] = "<script>alert(1)</script>"
    document["sections"][0]["blocks"][0]["html"] = '<p onclick="x()">a</p><script>y()</script>'
    document["sections"][1]["blocks"][0]["rows"][0][0] = "<b>fet</b>"
    html = to_html(document)
    assert "<script>" not in html and "onclick" not in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html
