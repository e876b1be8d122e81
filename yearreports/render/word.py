"""The Word side of the renderers: opening a municipality's template, styles by their built-in
names, fields, and the report's rich text (``yearreports.richtext.TAGS``) as Word paragraphs.

Styles are chosen by Word's built-in names (Title, Heading 1–4, Normal, List Bullet, List Number,
Quote, Table Grid, Caption, Hyperlink), so a template that defines them decides how the report
looks. A template that lacks one gets python-docx's own definition of it, copied in; a list style
copied that way loses its numbering (the template has no such list), and its items carry a
written bullet or number instead.
"""

import functools
import re
from copy import deepcopy

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from core.wordfile import WordFileError as TemplateError  # noqa: F401 - raised by open_word
from core.wordfile import open_word

SPACES = re.compile(r"\s+")
BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "table"}
MAX_COLUMNS = 63  # Word's limit: a wider table would not open


def open_template(source=None) -> docx.document.Document:
    """A new document: python-docx's default, or ``source`` (a path or a binary file of a .docx
    or .dotx) with its body emptied — its styles, page set-up, headers and footers kept.
    ``TemplateError`` if it cannot be read."""
    if source is None:
        return docx.Document()
    if hasattr(source, "read"):
        data = source.read()
    else:
        with open(source, "rb") as handle:
            data = handle.read()
    document = open_word(data)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


@functools.cache
def _defaults():
    return docx.Document()


class Styles:
    """Styles of one document by name, added from python-docx's defaults when missing."""

    def __init__(self, document):
        self.document = document
        self.known: dict[str, object] = {}
        self.unnumbered: set[str] = set()  # list styles copied in without their numbering

    def __call__(self, name: str, kind=WD_STYLE_TYPE.PARAGRAPH):
        if name not in self.known:
            self.known[name] = self._find(name, kind)
        return self.known[name]

    def paragraph(self, container, name: str, text: str = ""):
        """A new paragraph of style ``name``, its style id written directly: python-docx's
        ``style=`` looks up the default style for every paragraph, which a long report feels."""
        paragraph = container.add_paragraph(text)
        paragraph._p.style = self(name).style_id
        return paragraph

    def _find(self, name, kind):
        styles = self.document.styles
        try:
            return styles[name]
        except KeyError:
            pass
        try:
            element = deepcopy(_defaults().styles[name].element)
        except KeyError:
            return self._made(name, kind)
        for numbering in element.findall(f"{qn('w:pPr')}/{qn('w:numPr')}"):
            numbering.getparent().remove(numbering)
            self.unnumbered.add(name)
        styles.element.append(element)
        return styles[name]

    def _made(self, name, kind):
        style = self.document.styles.add_style(name, kind)
        if name == "Hyperlink":
            style.font.underline = True
            style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        elif kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = self("Normal")
        return style


def set_language(document, language: str = "sv-SE") -> None:
    """The language of every run without its own: the document default (``w:docDefaults``)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:  # it comes first in w:docDefaults (Word checks the order)
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = _child(run_defaults, "w:rPr")
    lang = _child(properties, "w:lang")
    lang.set(qn("w:val"), language)
    document.core_properties.language = language


def _child(parent, tag):
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (``PAGE``, ``TOC …``) as begin/instruction/separate/result/end runs; Word
    computes its result, ``placeholder`` shows until it does."""

    def char(kind):
        run = paragraph.add_run()
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        run._r.append(mark)

    char("begin")
    run = paragraph.add_run()
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def update_fields_on_open(document) -> None:
    """Ask Word to compute the fields (the table of contents) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        flag = OxmlElement("w:updateFields")
        flag.set(qn("w:val"), "true")
        settings.append(flag)


def add_hyperlink(paragraph, text: str, href: str, styles: Styles, bold=False, italic=False):
    rel = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = paragraph.add_run(text)
    run._r.style = styles("Hyperlink", WD_STYLE_TYPE.CHARACTER).style_id
    run.bold, run.italic = bold or None, italic or None
    paragraph._p.remove(run._r)
    link.append(run._r)
    paragraph._p.append(link)


class RichText:
    """The report's rich text (already sanitised to ``richtext.TAGS``) into a document or a cell."""

    def __init__(self, document, styles: Styles):
        self.document = document
        self.styles = styles

    def add(self, container, html: str, style: str = "Normal") -> None:
        if not html.strip():
            return
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        self._flow(root, container, style, 0)

    # Blocks -------------------------------------------------------------------------------
    def _flow(self, element, container, style: str, level: int, numbered=None) -> None:
        """The children of ``element``: block elements as they come, loose text and inline
        elements gathered into paragraphs of ``style``."""
        paragraph = None

        def current():
            nonlocal paragraph
            if paragraph is None:
                paragraph = self._paragraph(container, style, numbered)
            return paragraph

        self._text(element.text, current, {})
        for child in element:
            if not isinstance(child.tag, str):  # a comment
                pass
            elif child.tag in BLOCK_TAGS:
                paragraph = None
                self._block(child, container, style, level)
            else:
                self._inline(child, current, {})
            self._text(child.tail, current, {})

    def _block(self, element, container, style: str, level: int) -> None:
        tag = element.tag
        if tag == "p":
            self._flow(element, container, style, level)
        elif tag in ("h2", "h3", "h4"):
            self._flow(element, container, f"Heading {tag[1]}", level)
        elif tag == "blockquote":
            self._flow(element, container, "Quote", level)
        elif tag in ("ul", "ol"):
            self._list(element, container, level, ordered=tag == "ol")
        elif tag == "table":
            self._table(element, container)

    def _list(self, element, container, level: int, ordered: bool) -> None:
        kind = "List Number" if ordered else "List Bullet"
        style = kind if level == 0 else f"{kind} {min(level, 2) + 1}"
        self.styles(style)
        numbering = _restart(self.document, self.styles(style)) if ordered else None
        number = 0
        for item in element:
            if not isinstance(item.tag, str):
                continue
            if item.tag != "li":  # stray content in a list: a paragraph of its own
                self._block(item, container, "Normal", level) if item.tag in BLOCK_TAGS else None
                continue
            number += 1
            written = None
            if style in self.styles.unnumbered or (ordered and numbering is None):
                written = f"{number}. " if ordered else "• "
            self._flow(item, container, style, level + 1, (numbering, written))

    def _table(self, element, container) -> None:
        rows = list(element.iter("tr"))
        if not rows:
            return
        if isinstance(container, Cell):  # a table in a table cell: its rows as lines
            for tr in rows:
                words = (SPACES.sub(" ", c.text_content()).strip() for c in tr)
                self.styles.paragraph(container, "Normal", " | ".join(words))
            return
        width = min(MAX_COLUMNS, max(len([c for c in r if c.tag in ("td", "th")]) for r in rows))
        if width == 0:
            return
        table = container.add_table(rows=0, cols=width)
        table.style = self.styles("Table Grid", WD_STYLE_TYPE.TABLE)
        for tr in rows:
            cells = [c for c in tr if c.tag in ("td", "th")][:width]
            header = tr.getparent().tag == "thead" or (cells and all(c.tag == "th" for c in cells))
            row = table.add_row()
            if header:
                mark_header(row._tr)
            for cell, source in zip(row.cells, cells, strict=False):
                target = Cell(cell)
                self._flow(source, target, "Normal", 0)
                if header:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.bold = True

    def _paragraph(self, container, style: str, numbered=None):
        paragraph = self.styles.paragraph(container, style)
        if numbered:
            numbering, written = numbered
            if numbering is not None:
                _number(paragraph, numbering)
            if written:
                paragraph.add_run(written)
        return paragraph

    # Inline -------------------------------------------------------------------------------
    def _inline(self, element, current, marks: dict) -> None:
        tag = element.tag
        if tag == "br":
            current().add_run().add_break()
            return
        marks = dict(marks)
        if tag in ("strong", "b", "th"):
            marks["bold"] = True
        if tag in ("em", "i"):
            marks["italic"] = True
        if tag == "a" and element.get("href"):
            text = SPACES.sub(" ", element.text_content())
            if text.strip():
                add_hyperlink(current(), text, element.get("href"), self.styles,
                              marks.get("bold"), marks.get("italic"))  # fmt: skip
            return
        self._text(element.text, current, marks)
        for child in element:
            if isinstance(child.tag, str):
                self._inline(child, current, marks)
            self._text(child.tail, current, marks)

    def _text(self, text, current, marks: dict) -> None:
        if not text:
            return
        text = SPACES.sub(" ", text)
        paragraph = current() if text.strip() else None
        if paragraph is None:
            return
        if not paragraph.runs or not paragraph.text:
            text = text.lstrip()
        run = paragraph.add_run(text)
        if marks.get("bold"):
            run.bold = True
        if marks.get("italic"):
            run.italic = True


class Cell:
    """A table cell as a container whose first, empty paragraph is used before adding more."""

    def __init__(self, cell):
        self.cell = cell
        self.fresh = True

    def add_paragraph(self, text=""):
        if self.fresh:
            self.fresh = False
            paragraph = self.cell.paragraphs[0]
            if text:
                paragraph.add_run(text)
            return paragraph
        return self.cell.add_paragraph(text)


def mark_header(tr) -> None:
    """The row repeats at the top of every page the table runs over."""
    properties = tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def _restart(document, style):
    """A numbering that starts at 1, for one ordered list of ``style`` (its items would
    otherwise continue the previous list's numbers); None if the style has no numbering."""
    try:
        num_id = style.element.pPr.numPr.numId.val
        numbering = document.part.numbering_part.element
    except (AttributeError, NotImplementedError, KeyError):
        return None
    found = numbering.xpath(f"./w:num[@w:numId='{int(num_id)}']/w:abstractNumId")
    if not found:
        return None
    num = numbering.add_num(found[0].val)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _number(paragraph, num_id: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = properties.get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id
