"""A writer's text keeps its formatting and loses everything that could run or break an export."""

from hypothesis import given
from hypothesis import strategies as st

from core.text import first_forbidden
from yearreports.document import problems
from yearreports.richtext import sanitise


def test_formatting_stays():
    html = "<h2>Analys</h2><p><strong>Bra</strong> och <em>sämre</em></p><ul><li>ett</li></ul>"
    assert sanitise(html) == html


def test_scripts_handlers_and_unsafe_links_go():
    out = sanitise('<p onclick="x()">a<script>alert(1)</script><a href="javascript:x">l</a></p>')
    assert "script" not in out and "onclick" not in out and "javascript" not in out
    assert out.startswith("<p>a")


def test_links_open_safely():
    assert 'rel="noopener noreferrer"' in sanitise('<a href="https://example.se">x</a>')


@given(st.text())
def test_no_control_character_survives(text):
    assert first_forbidden(sanitise(text)) is None


def test_a_document_of_an_unknown_schema_or_shape_is_named():
    document = {
        "schema": 1,
        "sections": [
            {"heading": "A", "blocks": [{"type": "table", "caption": "", "columns": ["a"],
                                          "rows": [["1", "2"]], "numeric": [False]}]},
            {"heading": "B", "blocks": [{"type": "video"}]},
        ],
    }  # fmt: skip
    assert problems(document) == [
        "section 1: a table row with the wrong number of cells",
        "section 2: unknown block 'video'",
    ]
    assert problems({**document, "schema": 2, "sections": []}) == ["schema 2, expected 1"]
