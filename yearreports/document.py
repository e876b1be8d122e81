"""A report as a document: the one shape that is frozen, exported and published.

Building a report (``yearreports`` models and data blocks) ends in a ``Document``; everything that
shows a report — the HTML page, the PDF, the Word file, the public page — renders a ``Document`` and
nothing else. A completed report stores its document as JSON (``schema`` says which version), so a
later change to values, statuses or names never reaches it, and the renderers need to know no model.

Data blocks are reduced to a few plain kinds when the document is built: a goal list with
statuses becomes a ``table`` whose status cells carry their text (never colour alone), a trend
becomes a ``chart`` with its points and alt text. The renderers draw those kinds only.
"""

from typing import Literal, NotRequired, TypedDict

SCHEMA = 1


class Decision(TypedDict):
    body: str  # "Kommunfullmäktige"
    date: str  # ISO date, "2026-10-28"
    paragraph: str  # "§ 123"
    diary_number: str  # "KS 2026/123"


class HtmlBlock(TypedDict):
    type: Literal["html"]
    html: str  # sanitised by yearreports.richtext.sanitise
    source: NotRequired[str]  # the unit whose text this is, when a parent quotes a child


class TableBlock(TypedDict):
    type: Literal["table"]
    caption: str
    columns: list[str]
    rows: list[list[str]]  # every cell as text, already formatted ("160 kWh/m²", "✓ Uppfyllt")
    numeric: list[bool]  # per column: right-aligned figures


class ChartSeries(TypedDict):
    label: str  # "Utfall 2026", "Prognos"
    points: list[tuple[str, float | None]]  # (period label, value); None where nothing is known
    style: Literal["solid", "dashed"]  # dashed: forecasts and suggestions, never actuals


class ChartBlock(TypedDict):
    type: Literal["chart"]
    title: str
    alt: str  # what the chart shows, in words (the PDF's and Word file's alt text)
    unit: str
    series: list[ChartSeries]
    target: float | None


class HeadingBlock(TypedDict):
    type: Literal["heading"]
    text: str
    level: int  # 2–4 within a section


Block = HtmlBlock | TableBlock | ChartBlock | HeadingBlock


class Section(TypedDict):
    heading: str
    blocks: list[Block]


class Document(TypedDict):
    schema: int
    language: str  # "sv"
    title: str  # "Delårsrapport 2026"
    unit: str  # "Kulturnämnden", or the municipality's own name
    municipality: str  # from the site settings (core.wording)
    occasion: str  # "Delår augusti 2026"
    state: str  # shown on the cover: "Fastställd", "Utkast – ej fastställd"
    decision: Decision | None
    frozen_at: str | None  # ISO datetime the report was completed, None while it is written
    sections: list[Section]


BLOCK_KEYS = {
    "html": {"html"},
    "table": {"caption", "columns", "rows", "numeric"},
    "chart": {"title", "alt", "unit", "series", "target"},
    "heading": {"text", "level"},
}


def problems(document: dict) -> list[str]:
    """What keeps a stored document from being rendered (empty when it can be), so a renderer
    never meets a shape it does not know — e.g. a document frozen under a later schema."""
    found = []
    if document.get("schema") != SCHEMA:
        found.append(f"schema {document.get('schema')!r}, expected {SCHEMA}")
    for number, section in enumerate(document.get("sections", []), 1):
        for block in section.get("blocks", []):
            kind = block.get("type")
            if kind not in BLOCK_KEYS:
                found.append(f"section {number}: unknown block {kind!r}")
            elif missing := BLOCK_KEYS[kind] - block.keys():
                found.append(f"section {number}: {kind} without {', '.join(sorted(missing))}")
            elif kind == "table" and any(
                len(row) != len(block["columns"]) for row in block["rows"]
            ):
                found.append(f"section {number}: a table row with the wrong number of cells")
    return found
