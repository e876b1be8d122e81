"""A document as a Word file (python-docx), through the municipality's own template if it has one.

The file is: a title page (municipality, title, unit, occasion, state, decision), a table of
contents field (``TOC \\o "1-3"``, which Word fills in when the file is opened — the document
says so where the table will be), then each section as Heading 1 with its blocks. The header
names the report and the decision that adopted it (body, date, §, diarienummer), the footer
numbers the pages (``PAGE`` and ``NUMPAGES`` fields). Tables have a header row that repeats on
every page and right-aligned figures; charts are PNG images (``chart.png``) with their alt text
as the picture's description (``docPr/@descr``) and as a caption. The language is Swedish
(sv-SE) and the file's properties carry the title and subject.

Given a template (.docx or .dotx), the file starts from it: its styles, fonts, page set-up,
header and footer apply, its body text is left out, and what the report writes goes after what
the template's header and footer already hold. See docs/word-template.md for the styles it
should define.
"""

from datetime import datetime
from io import BytesIO

from django.utils.translation import gettext as _
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from . import chart
from .prepare import normalise
from .word import (
    MAX_COLUMNS,
    RichText,
    Styles,
    add_field,
    mark_header,
    open_template,
    set_language,
    update_fields_on_open,
)

CHART_WIDTH = Cm(16)
LANGUAGES = {"sv": "sv-SE", "en": "en-GB"}


def to_docx(document, template_path=None) -> bytes:
    """The document as .docx bytes. ``template_path``: a path or binary file of the
    municipality's Word template (.docx or .dotx), or None for python-docx's plain styles.
    Raises ``word.TemplateError`` only if the template cannot be read."""
    doc = normalise(document)
    word = open_template(template_path)
    if template_path is None:
        _a4(word)
    styles = Styles(word)
    set_language(word, LANGUAGES.get(doc["language"], doc["language"]))
    _properties(word, doc)
    _header_footer(word, doc, styles)
    _cover(word, doc, styles)
    _contents(word, styles)
    rich = RichText(word, styles)
    for number, section in enumerate(doc["sections"]):
        heading = styles.paragraph(
            word, "Heading 1", section["heading"] or _("Avsnitt utan rubrik")
        )
        if number:
            heading.paragraph_format.page_break_before = True
        if not section["blocks"]:
            styles.paragraph(word, "Normal", _("Avsnittet har inget innehåll."))
        for block in section["blocks"]:
            BLOCKS[block["type"]](word, block, styles, rich)
    update_fields_on_open(word)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def _a4(word) -> None:
    for section in word.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _properties(word, doc) -> None:
    properties = word.core_properties
    properties.title = doc["title"][:255]
    properties.subject = " – ".join(p for p in (doc["unit"], doc["occasion"]) if p)[:255]
    properties.author = (doc["municipality"] or doc["unit"])[:255]
    properties.keywords = doc["state"][:255]
    properties.comments = doc["decision_line"][:255]
    try:
        properties.created = datetime.fromisoformat(doc["frozen_at"])
    except ValueError:
        pass


def _header_footer(word, doc, styles) -> None:
    section = word.sections[0]
    header = section.header
    line = " · ".join(p for p in (doc["unit"], doc["title"]) if p)
    decision = doc["decision_line"] or doc["state"]
    paragraph = _free_paragraph(header, styles("Header"))
    paragraph.add_run(line)
    if decision:
        paragraph.add_run().add_break()
        paragraph.add_run(decision)
    footer = section.footer
    if footer._element.xpath(".//w:instrText[contains(., 'PAGE')] | .//w:fldSimple"):
        return  # the template numbers its pages already
    paragraph = _free_paragraph(footer, styles("Footer"))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(_("Sida") + " ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" " + _("av") + " ")
    add_field(paragraph, "NUMPAGES", "1")


def _free_paragraph(part, style):
    """The header's or footer's only paragraph if it is empty, else a new one after the
    template's own."""
    paragraphs = part.paragraphs
    if (
        len(paragraphs) == 1
        and not paragraphs[0].text
        and not paragraphs[0]._p.xpath(".//w:drawing")
    ):
        paragraphs[0]._p.style = style.style_id
        return paragraphs[0]
    paragraph = part.add_paragraph()
    paragraph._p.style = style.style_id
    return paragraph


def _cover(word, doc, styles) -> None:
    if doc["municipality"]:
        styles.paragraph(word, "Subtitle", doc["municipality"])
    styles.paragraph(word, "Title", doc["title"])
    if doc["unit"]:
        styles.paragraph(word, "Subtitle", doc["unit"])
    facts = (
        (_("Uppföljningstillfälle"), doc["occasion"]),
        (_("Status"), doc["state"]),
        (_("Beslut"), doc["decision_line"]),
        (_("Färdigställd"), doc["frozen_at"]),
    )
    for label, value in facts:
        if value:
            paragraph = styles.paragraph(word, "Normal")
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    styles.paragraph(word, "Normal").add_run().add_break(WD_BREAK.PAGE)


def _contents(word, styles) -> None:
    styles.paragraph(word, "TOC Heading", _("Innehåll"))
    paragraph = styles.paragraph(word, "Normal")
    add_field(
        paragraph,
        'TOC \\o "1-3" \\h \\z \\u',
        _(
            "Innehållsförteckningen fylls i av Word när dokumentet öppnas. Syns den inte: "
            "högerklicka här och välj Uppdatera fält."
        ),
    )


def _heading(word, block, styles, rich) -> None:
    styles.paragraph(word, f"Heading {block['level']}", block["text"])


def _html(word, block, styles, rich) -> None:
    if block["source"]:
        paragraph = styles.paragraph(word, "Normal")
        paragraph.add_run(_("Text från %(source)s") % {"source": block["source"]}).italic = True
    rich.add(word, block["html"])


def _table(word, block, styles, rich) -> None:
    columns = block["columns"][:MAX_COLUMNS]
    if not columns:
        return
    if block["caption"]:
        caption = styles.paragraph(word, "Caption", block["caption"])
        caption.paragraph_format.keep_with_next = True
    numeric = block["numeric"][: len(columns)]
    table = word.add_table(rows=0, cols=len(columns))
    table.style = styles("Table Grid", WD_STYLE_TYPE.TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    tbl = table._tbl
    head = _row(tbl, columns, numeric, bold=True)
    mark_header(head)
    for row in block["rows"]:
        _row(tbl, row[: len(columns)], numeric)
    if len(block["columns"]) > MAX_COLUMNS:
        note = _("Tabellen har fler kolumner än Word kan visa; de första %(n)s visas.")
        styles.paragraph(word, "Normal", note % {"n": MAX_COLUMNS})


def _row(tbl, cells, numeric, bold=False):
    """A table row written as XML directly: python-docx's cell API reads the whole table for
    every cell, which a table of thousands of rows cannot afford."""
    tr = OxmlElement("w:tr")
    for text, right in zip(cells, numeric, strict=False):
        tc = OxmlElement("w:tc")
        p = OxmlElement("w:p")
        if right:
            properties = OxmlElement("w:pPr")
            jc = OxmlElement("w:jc")
            jc.set(qn("w:val"), "right")
            properties.append(jc)
            p.append(properties)
        if text:
            r = OxmlElement("w:r")
            if bold:
                run_properties = OxmlElement("w:rPr")
                run_properties.append(OxmlElement("w:b"))
                r.append(run_properties)
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            r.append(t)
            p.append(r)
        tc.append(p)
        tr.append(tc)
    tbl.append(tr)
    return tr


def _chart(word, block, styles, rich) -> None:
    paragraph = styles.paragraph(word, "Normal")
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(BytesIO(chart.png(block)), width=CHART_WIDTH)
    properties = shape._inline.docPr
    properties.set("descr", block["alt"])
    properties.set("title", block["title"][:255])
    title, alt = block["title"], block["alt"]
    styles.paragraph(word, "Caption", alt if alt.startswith(title) else f"{title}. {alt}")


BLOCKS = {"heading": _heading, "html": _html, "table": _table, "chart": _chart}
