"""The section text box's Markdown-like text, to and from the stored HTML subset (richtext.TAGS).

A writer types plain text: a blank line starts a paragraph, Enter alone breaks the line,
``## Rubrik``, ``- punkt``, ``1. punkt``, ``**fet**``, ``*kursiv*``, ``[text](https://…)``,
``> citat`` and pipe tables. ``to_html`` parses it with markdown-it-py (CommonMark) with every
rule that makes something outside the subset switched off, so what cannot be stored stays the
text it was typed as: HTML typed or pasted is shown as text, never kept as markup; ``# `` is a
level-2 heading and ``##### `` a level-4 one; four spaces of indent are not code; ``&amp;`` is
those five characters. The result goes through ``richtext.sanitise`` like every other path.

``to_text`` writes stored HTML back as that text (markdownify, taught this grammar's escaping),
so a section written as HTML before, through the API or by quoting can be edited here. The
round trip keeps every word and the structure, with these documented normalisations
(yearreports/tests/test_markup.py checks them): ``b``/``i`` become ``strong``/``em``, bold inside
bold and a link inside a link lose the inner one; a table's first row becomes its header row, a
row header in the body an ordinary cell (``scope`` goes), short rows are padded; line breaks,
lists, paragraphs and tables inside a table cell or a heading become its words; a list item's
paragraphs make the list "tight" or "loose" as Markdown decides; two line breaks in a row become
one, and none stays at the edge of a block; an item outside a list gets a list; bold or italics
Markdown cannot mark (starting with punctuation right after a letter, as ``a<em>.b</em>``) keep
their text without the formatting, and a text whose bold and italics nest edge to edge so that
Markdown would read its stars otherwise loses its bold and italics; bold around nothing but italics comes back as italics around
bold (the same to a reader); empty formatting and empty elements go; HTML nested deeper
than ``_MAX_DEPTH`` comes back as its words.
"""

import re
import unicodedata

from bs4 import BeautifulSoup, NavigableString, Tag
from markdown_it import MarkdownIt
from markdown_it.common.utils import isWhiteSpace
from markdownify import ATX, MarkdownConverter

from core.text import clean_text

from .richtext import plain_text, sanitise

# CommonMark less everything the subset cannot hold or a writer would trip over: indented and
# fenced code, rules (---), link reference definitions, raw HTML, setext headings (a line of
# dashes under text), code spans, images, <autolinks> and entity references.
_PARSER = (
    MarkdownIt("commonmark", {"breaks": True, "html": False, "maxNesting": 60})
    .enable("table")
    .disable(
        ["code", "fence", "hr", "reference", "html_block", "lheading"]
        + ["backticks", "image", "autolink", "html_inline", "entity"]
    )
)
_HEADING = {"h1": "h2", "h5": "h4", "h6": "h4"}  # the subset's headings are h2–h4
_MAX_DEPTH = 60  # elements inside elements: far past any text a writer makes, far below recursion


# markdown-it stops reading, silently, at ``maxNesting`` levels: a last paragraph of this word,
# after everything typed, tells whether the whole text was read (see ``to_html``).
_END = "styrkortstextensslut"


# What opens a level at the start of a line: indentation, quote marks, list markers. Each
# character opens at most one of the parser's levels, so a line whose opening is shorter than
# this stays well inside ``maxNesting``.
_NESTING = re.compile(r"(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*")
_MAX_PREFIX = 50


class TooDeeplyNested(ValueError):
    """Text nested deeper than the parser reads (lists in lists or quotes in quotes, some 25 deep)."""


def to_html(text: str) -> str:
    """The stored HTML of what a writer typed in the text box. Raises ``TooDeeplyNested`` rather
    than store a text cut short where the nesting got too deep."""
    text = clean_text(text or "")
    if any(len(_NESTING.match(line).group()) > _MAX_PREFIX for line in text.splitlines()):
        raise TooDeeplyNested(text)  # deeper than the parser reads: it would drop the words
    tokens = _PARSER.parse(text + "\n\n" + _END)
    ending = [(t.type, t.level, t.content) for t in tokens[-3:]]
    if ending != [("paragraph_open", 0, ""), ("inline", 1, _END), ("paragraph_close", 0, "")]:
        raise TooDeeplyNested(text)
    tokens = tokens[:-3]
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING.get(token.tag, token.tag)
    return sanitise(_PARSER.renderer.render(tokens, _PARSER.options, {}))


def to_text(html: str) -> str:
    """The text box's text for stored HTML (sanitised first: the text box shows only the subset).

    HTML nested deeper than Markdown can say (only the API can store such) comes back as its
    words, one paragraph, rather than failing the page."""
    stored = sanitise(html)
    soup = BeautifulSoup(stored, "html.parser")
    if _depth(soup) > _MAX_DEPTH:
        return _Writer().escape(plain_text(stored), set())
    _normalise(soup)
    text = _Writer().convert_soup(soup).strip("\n ")
    try:
        read_back = to_html(text)
    except TooDeeplyNested:
        return _Writer().escape(plain_text(stored), set())
    if _words(read_back) != _words(stored):
        # Bold and italics nested edge to edge can make runs of stars Markdown reads otherwise
        # (``***a*b*c***``): rather than show stray stars, the text goes without them.
        for tag in soup.find_all(["strong", "em"]):
            tag.unwrap()
        text = _Writer().convert_soup(soup).strip("\n ")
    return text


def _words(html: str) -> str:
    return "".join(plain_text(html).split())


# --- HTML → text ---------------------------------------------------------------------------

_INLINE = {"strong", "em", "a"}
_BLOCKS = {"p", "li", "blockquote", "h2", "h3", "h4", "td", "th", "[document]", "ul", "ol"}
_BLOCKS |= {"table", "thead", "tbody", "tr"}


def _depth(soup: BeautifulSoup) -> int:
    deepest, stack = 0, [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > _MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return deepest


def _normalise(soup: BeautifulSoup) -> None:
    """Give the tree the shape Markdown writes: one name per kind of formatting, no formatting
    inside the same formatting, no empty formatting, no line break at the edge of a block."""
    for old, new in (("b", "strong"), ("i", "em")):
        for tag in soup.find_all(old):
            tag.name = new
    _unwrap_repeats(soup, frozenset())
    for li in soup.find_all("li"):
        if li.parent is None or li.parent.name not in ("ul", "ol"):
            li.wrap(soup.new_tag("ul"))  # an item outside a list (HTML allows it) is a bullet
    for tag in soup.find_all(["strong", "em", "a"]):
        if not tag.get_text().strip():
            tag.unwrap()
    for tag in soup.find_all(["strong", "em"]):
        previous = tag.previous_sibling
        if isinstance(previous, Tag) and previous.name == tag.name:
            previous.extend(list(tag.contents))
            tag.decompose()
    for br in soup.find_all("br"):
        _lift_break(br)
    for br in soup.find_all("br"):
        after = br.next_sibling
        while isinstance(after, NavigableString) and not after.strip():
            after = after.next_sibling
        if _at_block_edge(br) or (isinstance(after, Tag) and after.name == "br"):
            br.decompose()
    for tag in reversed(soup.find_all(["p", "h2", "h3", "h4", "li", "ul", "ol", "blockquote"])):
        if not tag.get_text().strip() and tag.find("table") is None:
            tag.decompose()


def _lift_break(br: Tag) -> None:
    """A line break at the edge of bold, italics or a link moves outside it: ``*a\n*`` would
    not close, and the next line must be seen to start a line."""
    while br.parent is not None and br.parent.name in _INLINE:
        siblings = [s for s in br.parent.contents if not (isinstance(s, str) and not s.strip())]
        if siblings[-1] is br:
            br.parent.insert_after(br.extract())
        elif siblings[0] is br:
            br.parent.insert_before(br.extract())
        else:
            return


def _unwrap_repeats(node: Tag, inside: frozenset) -> None:
    """Bold inside bold, italics inside italics, a link inside a link: the inner one goes."""
    for child in list(node.children):
        if not isinstance(child, Tag):
            continue
        repeated = child.name in inside
        _unwrap_repeats(child, inside | {child.name} if child.name in _INLINE else inside)
        if repeated:
            child.unwrap()


def _at_block_edge(br: Tag) -> bool:
    siblings = [s for s in br.parent.contents if not (isinstance(s, str) and not s.strip())]
    return br.parent.name in _BLOCKS and (siblings[0] is br or siblings[-1] is br)


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith(("P", "S"))


def _kind(ch: str) -> str:
    """A character as CommonMark's emphasis rules see it: space, punctuation or other."""
    if not ch or isWhiteSpace(ord(ch)):
        return "space"
    return "punct" if _is_punct(ch) else "other"


def _outside(el: Tag, before: bool) -> str:
    """The character Markdown will have just before (or after) an inline element's marker."""
    node = el
    while True:
        sibling = node.previous_sibling if before else node.next_sibling
        if isinstance(sibling, NavigableString):
            if str(sibling):
                return str(sibling)[-1] if before else str(sibling)[0]
            node = sibling
            continue
        if isinstance(sibling, Tag):
            return "\n" if sibling.name == "br" or sibling.name in _BLOCKS else "*"
        parent = node.parent
        return "*" if parent is not None and parent.name in _INLINE else "\n"


def _markable(el: Tag, inner: str, underscore: bool = False) -> bool:
    """Whether ``*``/``**`` (or ``_``) around ``inner`` open and close (CommonMark's flanking
    rules; ``_`` must not touch a letter outside)."""
    first, last = _kind(inner[0]), _kind(inner[-1])
    left, right = _kind(_outside(el, True)), _kind(_outside(el, False))
    opens = first != "space" and (first != "punct" or left != "other")
    closes = last != "space" and (last != "punct" or right != "other")
    if underscore:
        opens = opens and left != "other"
        closes = closes and right != "other"
    return opens and closes


def _edge_is(el: Tag, name: str) -> bool:
    """Whether formatting begins or ends with other formatting (italics with bold first)."""
    children = [c for c in el.contents if not (isinstance(c, str) and not c.strip())]
    return any(isinstance(c, Tag) and c.name == name for c in (children[:1] + children[-1:]))


def _touches_emphasis(el: Tag) -> bool:
    """Bold right next to italics: ``*a***b**`` is one run of stars, so italics take ``_``."""
    return any(
        isinstance(sibling, Tag) and sibling.name in ("strong", "em")
        for sibling in (el.previous_sibling, el.next_sibling)
    )


def _chomp(text: str) -> tuple[str, str, str]:
    """Leading and trailing whitespace moved outside the markers (``** a**`` is no bold)."""
    start = 0
    while start < len(text) and isWhiteSpace(ord(text[start])):
        start += 1
    end = len(text)
    while end > start and isWhiteSpace(ord(text[end - 1])):
        end -= 1
    return text[:start], text[start:end], text[end:]


_LINE_START = re.compile(r"^(?:([#>+-])|(\d{1,9})([.)])(?=\s|$))")
_SPACES = re.compile(r"[ \t\r\n]+")
_ENTITY = re.compile(r"&(?=#?\w+;)")


class _Writer(MarkdownConverter):
    """markdownify with the escaping and choices of the grammar ``to_html`` reads."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        autolinks = False
        escape_asterisks = False
        escape_underscores = False
        wrap = True  # a newline in HTML text is a space, not a line break
        wrap_width = None

    def __init__(self, **options):
        super().__init__(**options)
        self._numbers: dict[int, dict[int, int]] = {}

    def escape(self, text, parent_tags):
        text = text.replace("\\", "\\\\")
        for ch in "*[|":
            text = text.replace(ch, "\\" + ch)
        if "a" in parent_tags:
            text = text.replace("]", "\\]")
        if parent_tags & {"h2", "h3", "h4"}:
            text = text.replace("#", "\\#")
        return _escape_underscores(text)

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags=parent_tags)
        if _starts_line(el) and "_inline" not in (parent_tags or set()):
            text = text.lstrip(" ")
            text = _LINE_START.sub(lambda m: _escape_line_start(m), text)
        return text

    def _emphasis(self, el, text, marker):
        before, inner, after = _chomp(text)
        if not inner:
            return text
        # Stars next to stars make one run (``***a**b*``); underscores keep the two apart.
        other = "em" if marker == "**" else "strong"
        if _edge_is(el, other) or (marker == "*" and _touches_emphasis(el)):
            if _markable(el, inner, underscore=True):
                line = marker.replace("*", "_")
                return f"{before}{line}{inner}{line}{after}"
        if not _markable(el, inner):
            return before + inner + after
        return f"{before}{marker}{inner}{marker}{after}"

    def convert_strong(self, el, text, parent_tags):
        return self._emphasis(el, text, "**")

    def convert_em(self, el, text, parent_tags):
        return self._emphasis(el, text, "*")

    convert_b, convert_i = convert_strong, convert_em

    def convert_a(self, el, text, parent_tags):
        before, inner, after = _chomp(text)
        href = el.get("href")
        if not inner or not href:
            return text
        return f"{before}[{inner}]({_destination(href)}){after}"

    def convert_br(self, el, text, parent_tags):
        return " " if "_inline" in parent_tags else "\n"

    def convert_hN(self, n, el, text, parent_tags):
        if "_inline" in parent_tags:  # a heading in a table's cell: its words, apart
            return " " + text.strip() + " "
        return super().convert_hN(min(max(n, 2), 4), el, text, parent_tags)

    def convert_ul(self, el, text, parent_tags):
        if "_inline" in parent_tags:  # a list in a table's cell: its words
            return " " + text + " "
        return super().convert_ul(el, text, parent_tags)

    convert_ol = convert_ul

    def convert_li(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " " + (text or "").strip() + " "
        # markdownify numbers an item by counting its earlier siblings: quadratic in a long list.
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        alternate = parent is not None and _alternate(parent)
        if parent is not None and parent.name == "ol":
            if id(parent) not in self._numbers:
                self._numbers[id(parent)] = _numbering(parent)
            number = self._numbers[id(parent)][id(el)]
            bullet = f"{number}{')' if alternate else '.'} "
        else:
            # Two lists in a row are two lists only if their markers differ.
            bullet = "* " if alternate else "- "
        indent = " " * len(bullet)
        lines = text.split("\n")
        rest = [indent + line if line else "" for line in lines[1:]]
        return "\n".join([bullet + lines[0], *rest]) + "\n"

    def convert_table(self, el, text, parent_tags):
        rows = [
            [self._cell(cell, parent_tags) for cell in tr.find_all(["td", "th"], recursive=False)]
            for tr in el.find_all("tr")
            if tr.find_parent("table") is el
        ]
        rows = [row for row in rows if row]
        if not rows:
            return ""
        if "_inline" in parent_tags:  # a table in a table's cell: its words
            return " " + " ".join(cell for row in rows for cell in row) + " "
        width = max(len(row) for row in rows)
        lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
        lines.insert(1, "| " + " | ".join(["---"] * width) + " |")
        return "\n\n" + "\n".join(lines) + "\n\n"

    def _cell(self, cell: Tag, parent_tags) -> str:
        text = self.process_tag(cell, parent_tags=(parent_tags or set()) | {"table"})
        return _SPACES.sub(" ", text).strip(" ")  # only what Markdown calls space

    def convert_td(self, el, text, parent_tags):
        return text

    convert_th = convert_td

    def convert_tr(self, el, text, parent_tags):
        return ""


def _escape_line_start(match: re.Match) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def _escape_underscores(text: str) -> str:
    """``_`` between two letters (snake_case, a file name) cannot emphasise: left as it is."""
    out = []
    for i, ch in enumerate(text):
        if ch == "_":
            inside = 0 < i < len(text) - 1 and all(
                _kind(c) == "other" for c in (text[i - 1], text[i + 1])
            )
            out.append("_" if inside else "\\_")
        else:
            out.append(ch)
    return "".join(out)


def _starts_line(node) -> bool:
    """Whether a text node begins a line of the Markdown (where ``- `` starts a list)."""
    previous = node.previous_sibling
    while isinstance(previous, NavigableString) and not str(previous).strip():
        previous = previous.previous_sibling
    if previous is not None:
        return isinstance(previous, Tag) and (previous.name == "br" or previous.name in _BLOCKS)
    parent = node.parent
    return parent is None or parent.name in _BLOCKS


def _numbering(lst: Tag) -> dict[int, int]:
    items = [child for child in lst.children if isinstance(child, Tag) and child.name == "li"]
    return {id(item): number for number, item in enumerate(items, start=1)}


def _alternate(lst: Tag) -> bool:
    """Whether a list follows a list of the same kind an odd number of times in a row."""
    count = 0
    node = lst
    while True:
        node = node.find_previous_sibling()
        if node is None or node.name != lst.name:
            break
        count += 1
    return count % 2 == 1


def _destination(href: str) -> str:
    href = href.strip()
    href = "".join(ch if not ch.isspace() else f"%{ord(ch):02X}" for ch in href)
    href = _ENTITY.sub("\\\\&", href.replace("\\", "\\\\"))
    if any(ch in href for ch in "()<>"):
        return "<" + href.replace("<", "\\<").replace(">", "\\>") + ">"
    return href
