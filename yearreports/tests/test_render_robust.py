"""Whatever a stored document holds, the three renderers deliver a file: arbitrary text in every
field, malformed blocks, huge tables, very long words, values that are not numbers."""

from io import BytesIO

import docx
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from core.text import clean_text
from yearreports.render import chart, to_docx, to_html, to_pdf

from .documents import city_report

texts = st.text(max_size=60)
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers())


@st.composite
def documents(draw):
    """The city's report with a drawn text in every text field and drawn values in its chart."""
    document = city_report()
    for key in ("title", "unit", "municipality", "occasion", "state", "frozen_at", "language"):
        document[key] = draw(texts)
    document["decision"] = {k: draw(texts) for k in ("body", "date", "paragraph", "diary_number")}
    for section in document["sections"]:
        section["heading"] = draw(texts)
        for block in section["blocks"]:
            if block["type"] == "html":
                block["html"] = draw(texts) + block["html"] + draw(texts)
                block["source"] = draw(texts)
            elif block["type"] == "heading":
                block["text"] = draw(texts)
            elif block["type"] == "table":
                block["caption"] = draw(texts)
                block["columns"] = [draw(texts) for _ in block["columns"]]
                block["rows"] = [[draw(texts) for _ in row] for row in block["rows"]]
            elif block["type"] == "chart":
                block["title"], block["alt"], block["unit"] = draw(texts), draw(texts), draw(texts)
                block["target"] = draw(numbers)
                for series in block["series"]:
                    series["label"] = draw(texts)
                    series["points"] = [[draw(texts), draw(numbers)] for _ in range(3)]
    return document


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_text_gives_a_word_file(document):
    word = docx.Document(BytesIO(to_docx(document)))
    assert len([p for p in word.paragraphs if p.style.name == "Heading 1"]) == 3


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_text_gives_html(document):
    html = to_html(document)
    assert "<script" not in html
    heading = clean_text(document["sections"][1]["heading"])
    assert f">{escape(heading)}</a>" in html or not heading


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_text_gives_a_pdf(document):
    assert PdfReader(BytesIO(to_pdf(document, cache=False))).pages


def test_malformed_blocks_are_left_out_or_mended():
    document = city_report()
    document["sections"].append(
        {
            "heading": None,
            "blocks": [
                {"type": "video", "src": "x"},
                "not a block",
                {
                    "type": "table",
                    "caption": "Trasig",
                    "columns": ["A", "B"],
                    "rows": [["1"], ["1", "2", "3"], "x"],
                    "numeric": [True],
                },
                {
                    "type": "table",
                    "caption": "Utan huvud",
                    "columns": [],
                    "rows": [["a", "b"]],
                    "numeric": [],
                },
                {"type": "heading", "text": "Nivå", "level": "nio"},
                {
                    "type": "chart",
                    "title": "Tom",
                    "alt": "",
                    "unit": "",
                    "series": None,
                    "target": "hög",
                },
                {
                    "type": "chart",
                    "title": "Konstig",
                    "alt": "x",
                    "unit": "",
                    "target": None,
                    "series": [{"label": "a", "style": "wavy", "points": [[], ["2026"], [1, "x"]]}],
                },
            ],
        }  # fmt: skip
    )
    word = docx.Document(BytesIO(to_docx(document)))
    broken = next(t for t in word.tables if t.rows[0].cells[0].text == "A")
    assert [[c.text for c in row.cells] for row in broken.rows] == [
        ["A", "B"], ["1", ""], ["1", "2"], ["x", ""]
    ]  # fmt: skip
    assert "Avsnitt utan rubrik" in [p.text for p in word.paragraphs]
    assert "Trasig" in to_html(document)
    assert PdfReader(BytesIO(to_pdf(document, cache=False))).pages


def test_huge_table_long_words_and_control_characters():
    document = city_report()
    word_ = "Miljö" * 2000  # one 10,000-character word
    document["title"] = "Delårsrapport\x0b2026\x00"
    document["sections"][1]["blocks"].append(
        {
            "type": "table",
            "caption": "Alla mål",
            "columns": ["Mål", "Utfall"] + [f"K{i}" for i in range(70)],
            "rows": [
                [f"Mål {i}\x01", f"{i} %"] + [word_ if i == 0 else ""] * 70 for i in range(600)
            ],
            "numeric": [False, True] + [False] * 70,
        }
    )
    data = to_docx(document)
    word = docx.Document(BytesIO(data))
    assert word.core_properties.title == "Delårsrapport\n2026"
    table = word.tables[-1]
    assert len(table.columns) == 63  # Word's limit, with a note saying so
    assert len(table.rows) == 601
    assert "Tabellen har fler kolumner än Word kan visa" in "\n".join(
        p.text for p in word.paragraphs
    )
    html = to_html(document)
    assert "Mål 599" in html and "\x01" not in html


def test_chart_png_draws_dashed_forecast_and_survives_odd_values():
    from PIL import Image

    block = city_report()["sections"][1]["blocks"][-1]
    image = Image.open(BytesIO(chart.png(block)))
    assert image.size == (960, 510)
    for target in (None, float("inf"), 1e300):
        odd = {**block, "target": target, "series": [{"label": "x", "style": "solid",
               "points": [["a", 1e300], ["b", -5], ["c", float("nan")], ["d", 0]]}]}  # fmt: skip
        assert chart.png(odd).startswith(b"\x89PNG")
        assert chart.svg(odd).startswith("<svg")
    flat = {**block, "target": None, "series": [{"label": "x", "style": "solid",
            "points": [["a", 5], ["b", 5]]}]}  # fmt: skip
    assert "<polyline" in chart.svg(flat)
