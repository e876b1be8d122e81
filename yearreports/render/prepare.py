"""A stored document made safe to draw: every renderer reads it through ``normalise``.

A frozen report is JSON written by an earlier version, an import or a hand; the renderers must
never fail on it. ``normalise`` returns the same shape (``yearreports.document.Document``) with
every text a string without the characters XML cannot hold (``core.text.clean_text``), rich text
sanitised again (``yearreports.richtext.sanitise``: cheap, and the stored text may predate a
rule), heading levels within 2–4, table rows exactly as wide as their columns, and blocks of
unknown kinds left out (``yearreports.document.problems`` names them).
"""

from django.utils.translation import gettext as _

from core.text import clean_text
from yearreports.richtext import sanitise

from .chart import number

MAX_CELL = 10_000  # characters of one table cell: more is stored by mistake, not written


def text(value, limit: int | None = None) -> str:
    value = clean_text("" if value is None else str(value))
    return value if limit is None or len(value) <= limit else value[: limit - 1] + "…"


# Bidirectional embedding, override and isolate controls. The decision's fields are joined into
# one line: an override (U+202E) left open in the body would reverse the date, § and diarienummer
# after it in the PDF and Word file. Names and numbers never need them (Arabic or Hebrew letters
# still read right to left by themselves).
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _plain(value) -> str:
    return text(value).translate(_BIDI_CONTROLS).strip()


def decision_line(decision) -> str:
    """ "Fastställd av Kommunfullmäktige 2026-10-28 § 123, dnr KS 2026/123" (what is known)."""
    if not isinstance(decision, dict):
        return ""
    body, date = _plain(decision.get("body")), _plain(decision.get("date"))
    paragraph = _plain(decision.get("paragraph"))
    diary = _plain(decision.get("diary_number"))
    if not any((body, date, paragraph, diary)):
        return ""
    words = " ".join(w for w in (body, date, paragraph) if w)
    line = _("Fastställd av %(decision)s") % {"decision": words} if words else ""
    if diary:
        line = f"{line}, {_('dnr')} {diary}" if line else f"{_('Dnr')} {diary}"
    return line


def normalise(document) -> dict:
    document = document if isinstance(document, dict) else {}
    sections = []
    for section in document.get("sections") or []:
        if not isinstance(section, dict):
            continue
        blocks = [b for b in map(_block, section.get("blocks") or []) if b is not None]
        sections.append({"heading": text(section.get("heading")), "blocks": blocks})
    decision = document.get("decision")
    return {
        "schema": document.get("schema"),
        "language": text(document.get("language") or "sv", 20) or "sv",
        "title": text(document.get("title")) or _("Rapport"),
        "unit": text(document.get("unit")),
        "municipality": text(document.get("municipality")),
        "occasion": text(document.get("occasion")),
        "state": text(document.get("state")),
        "decision": decision if isinstance(decision, dict) else None,
        "decision_line": decision_line(decision),
        "frozen_at": text(document.get("frozen_at"))[:10],
        "sections": sections,
    }


def _block(block) -> dict | None:
    if not isinstance(block, dict):
        return None
    kind = block.get("type")
    if kind == "html":
        return {"type": "html", "html": sanitise(text(block.get("html"))),
                "source": text(block.get("source"))}  # fmt: skip
    if kind == "heading":
        try:
            level = min(4, max(2, int(block.get("level") or 2)))
        except (TypeError, ValueError):
            level = 2
        return {"type": "heading", "text": text(block.get("text")), "level": level}
    if kind == "table":
        columns = [text(c, MAX_CELL) for c in block.get("columns") or []]
        numeric = [bool(n) for n in block.get("numeric") or []]
        numeric = (numeric + [False] * len(columns))[: len(columns)]
        rows = []
        for row in block.get("rows") or []:
            cells = [text(c, MAX_CELL) for c in (row if isinstance(row, list | tuple) else [row])]
            rows.append((cells + [""] * len(columns))[: len(columns)] if columns else cells)
        if not columns and rows:  # a table without a head: as wide as its widest row
            width = max(len(r) for r in rows)
            columns, numeric = [""] * width, [False] * width
            rows = [(r + [""] * width)[:width] for r in rows]
        return {"type": "table", "caption": text(block.get("caption")), "columns": columns,
                "rows": rows, "numeric": numeric}  # fmt: skip
    if kind == "chart":
        series = []
        for s in block.get("series") or []:
            if not isinstance(s, dict):
                continue
            points = [
                (text(p[0], 200), number(p[1]) if len(p) > 1 else None)
                for p in s.get("points") or []
                if isinstance(p, list | tuple) and p
            ]
            style = "dashed" if s.get("style") == "dashed" else "solid"
            series.append({"label": text(s.get("label"), 200), "points": points, "style": style})
        title = text(block.get("title"))
        return {"type": "chart", "title": title, "alt": text(block.get("alt")) or title,
                "unit": text(block.get("unit"), 200), "series": series,
                "target": number(block.get("target"))}  # fmt: skip
    return None
