"""The benchmark as a server-rendered SVG line chart: us, the comparison group's mean and Riket.

Each series differs by line style *and* marker shape (solid + circle, dashed + square, dotted +
triangle), not by colour alone. ``<title>``/``<desc>`` say in words what the chart shows; the table
beside it is the full text alternative. Every text is escaped.
"""

import re
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from core.chartscale import nice_scale, tick_decimals
from core.numbers import format_number

from .benchmark import GenderTable, Row

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 624, 30, 250
INK, MUTED, GRID = "#1b1f24", "#4a5560", "#d5dbe1"
STYLES = {
    # kind: (colour, stroke width, dash pattern, marker)
    "own": ("#0b5394", 3, "", "circle"),
    "mean": ("#8a5a00", 2, "7 4", "square"),
    "riket": (INK, 2, "2 3", "triangle"),
}


def benchmark_svg(
    *,
    title: str,
    unit: str,
    years: list[int],
    table: GenderTable,
    decimals: int = 1,
    chart_id: str = "benchmark",
) -> str:
    chart_id = re.sub(r"[^A-Za-z0-9_-]", "", chart_id) or "benchmark"
    rows = drawn_rows(table)
    fmt = lambda v: format_number(v, decimals) + (f"\u00a0{unit}" if unit else "")  # noqa: E731
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="benchmark-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" style="max-width:none;height:auto" '
        f'font-family="system-ui, sans-serif" font-size="12" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(rows, years, table, fmt))}</desc>',
    ]
    numbers = [float(v) for r in rows for v in r.values if v is not None]
    if not numbers or not years:
        out.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(_('Inga värden att visa.'))}</text></svg>"
        )
        return "".join(out)
    low, high, step = nice_scale(min(numbers), max(numbers))
    step_decimals = tick_decimals(step)

    def x(i: int) -> float:
        if len(years) == 1:
            return (LEFT + RIGHT) / 2
        return LEFT + 20 + i * (RIGHT - LEFT - 40) / (len(years) - 1)

    def y(value) -> float:
        return BOTTOM - (float(value) - low) / (high - low) * (BOTTOM - TOP)

    out.append(f'<g class="axis" font-size="12" fill="{MUTED}" aria-hidden="true">')
    tick = low
    while tick <= high + step / 2:
        out.append(
            f'<line x1="{LEFT}" x2="{RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/><text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{escape(format_number(tick, step_decimals))}</text>"
        )
        tick += step
    for i, year in enumerate(years):
        out.append(f'<text x="{x(i):.1f}" y="{BOTTOM + 18}" text-anchor="middle">{year}</text>')
    out.append(
        f'<text x="{LEFT - 6}" y="{TOP - 12}" text-anchor="end" fill="{INK}">'
        f"{escape(unit or _('Värde'))}</text>"
        f'<line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{MUTED}"/></g>'
    )
    for row in rows:
        colour, width, dash, marker = STYLES[row.kind]
        out.append(f'<g class="series series-{row.kind}">')
        for segment in _segments(row.values):
            if len(segment) > 1:
                points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in segment)
                dashes = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="{width}"{dashes}/>'
                )
        for i, v in enumerate(row.values):
            if v is not None:
                tip = f"{row.name} {years[i]}: {fmt(v)}"
                out.append(
                    f"<g><title>{escape(tip)}</title>{_marker(marker, x(i), y(v), colour)}</g>"
                )
        out.append("</g>")
    out.append(_legend(rows))
    out.append("</svg>")
    return "".join(out)


def drawn_rows(table: GenderTable) -> list[Row]:
    """The series the chart draws: us, the comparison mean and Riket, those with a value."""
    return [r for r in table.rows if r.kind in STYLES and r.has_values]


def caption(table: GenderTable) -> str:
    """The figure caption: how each drawn series looks, and which one is left out for lack of
    values, so the caption never names a line the chart does not have."""
    looks = {
        "own": _("Heldragen linje med cirklar"),
        "mean": _("Streckad linje med kvadrater"),
        "riket": _("Prickad linje med trianglar"),
    }
    parts = [_("Diagrammet gäller: %(label)s.") % {"label": table.label}]
    parts += [f"{looks[row.kind]}: {row.name}." for row in drawn_rows(table)]
    absent = [r.name for r in table.rows if r.kind in STYLES and not r.has_values]
    if absent:
        parts.append(
            _("Utan linje, eftersom värden saknas: %(names)s.") % {"names": ", ".join(absent)}
        )
    parts.append(_("Tabellen nedan har alla värden."))
    return " ".join(parts)


def _segments(values: list) -> list[list[tuple[int, Decimal]]]:
    """Runs of consecutive years with values: a missing year breaks the line."""
    segments, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        segments.append(current)
    return segments


def _marker(shape: str, cx: float, cy: float, colour: str, size: float = 4.5) -> str:
    if shape == "square":
        return (
            f'<rect x="{cx - size:.1f}" y="{cy - size:.1f}" width="{2 * size:.1f}" '
            f'height="{2 * size:.1f}" fill="{colour}"/>'
        )
    if shape == "triangle":
        s = size * 1.2
        return (
            f'<polygon points="{cx:.1f},{cy - s:.1f} {cx + s:.1f},{cy + s:.1f} '
            f'{cx - s:.1f},{cy + s:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{size}" fill="{colour}"/>'


def _legend(rows: list[Row]) -> str:
    out = [
        f'<g class="legend" font-size="12" aria-hidden="true" '
        f'transform="translate({LEFT},{HEIGHT - 40})">'
    ]
    offset = 0.0
    for row in rows:
        colour, width, dash, marker = STYLES[row.kind]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{offset}" x2="{offset + 28}" y1="0" y2="0" stroke="{colour}" '
            f'stroke-width="{width}"{dashes}/>{_marker(marker, offset + 14, 0, colour, 3.5)}'
            f'<text x="{offset + 34}" y="4">{escape(row.name)}</text>'
        )
        offset += 48 + 6.5 * len(row.name)
    out.append("</g>")
    return "".join(out)


def describe(rows: list[Row], years: list[int], table: GenderTable, fmt) -> str:
    """The comparison in words: each series' first and latest value, and our latest place."""
    if not rows or not years:
        return _("Det finns inga värden att jämföra ännu.")
    parts = [_("År %(first)s–%(last)s.") % {"first": years[0], "last": years[-1]}]
    for row in rows:
        present = [(years[i], v) for i, v in enumerate(row.values) if v is not None]
        if not present:
            continue
        (y0, v0), (y1, v1) = present[0], present[-1]
        if y0 == y1:
            parts.append(f"{row.name}: {fmt(v1)} ({y1}).")
        else:
            parts.append(f"{row.name}: {fmt(v0)} ({y0}) → {fmt(v1)} ({y1}).")
    ranked = [(years[i], r) for i, r in enumerate(table.ranks) if r]
    if ranked:
        year, (place, total) = ranked[-1]
        parts.append(
            _(
                "%(year)s på plats %(place)d av %(total)d bland oss och jämförelsekommunerna (1 = bäst)."
            )
            % {"place": place, "total": total, "year": year}
        )
    return " ".join(parts)
