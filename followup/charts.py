"""Trend charts as server-rendered SVG: no JavaScript, the same drawing on screen and in a PDF.

``trend_svg`` is a pure function of plain data. Time runs left to right with a band per year; each
value sits in the middle of its period (a month, a tertial or the whole year). A point's status is
told by its marker's *shape* as well as its colour, and by its ``<title>``:

* circle          – met (uppfyllt)
* diamond         – close (delvis uppfyllt)
* cross           – not met (ej uppfyllt)
* hollow circle   – no target to compare with

Targets are dashed horizontal lines across their year; a range is a light band between two lines.
The ``<title>`` and ``<desc>`` that ``aria-labelledby`` points at say in words what the chart
shows, for screen readers and for anyone who cannot read the picture. Every text is escaped.

Drawn ``for_print``, the chart leaves out what only a screen uses (words, tooltips, ARIA, CSS);
its words, ``trend_alt``, go on the image that shows it instead.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from core.chartscale import nice_scale, tick_decimals
from core.numbers import format_number
from scorecards.models import Direction, Frequency

from .status import Status

# How many months one value of each frequency covers.
PERIOD_MONTHS = {Frequency.MONTHLY: 1, Frequency.TERTIAL: 4, Frequency.YEARLY: 12}
WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 624, 36, 262  # the plot area
INK, MUTED, GRID, TARGET = "#1b1f24", "#4a5560", "#d5dbe1", "#0b5394"
COLOURS = {
    Status.MET: "#1e7b34",
    Status.CLOSE: "#8a5a00",
    Status.NOT_MET: "#b3261e",
    Status.NO_TARGET: "#4a5560",
    Status.NO_VALUE: "#4a5560",
}


@dataclass(frozen=True)
class ChartPoint:
    year: int
    month: int  # the period's last month, as in Measurement
    value: Decimal
    status: Status


@dataclass(frozen=True)
class ChartTarget:
    year: int
    values: tuple[Decimal, ...]  # one value, or (low, high) for a range
    label: str  # e.g. "max 160,0 kWh/m²"


@dataclass(frozen=True)
class ChartForecast:
    """A full-year forecast, drawn apart from the values: a dotted line from the latest value to
    the year's end, a hollow square and its words (``label``, e.g. "prognos helår 1 080")."""

    year: int
    value: Decimal
    label: str


FORECAST = "#5b3f8c"


def period_label(year: int, month: int, period_months: int = 12) -> str:
    """ "2026", "T2 2026" or "mars 2026", by the indicator's period length in months."""
    if period_months == 12 and month == 12:
        return str(year)
    if period_months == 4 and month in (4, 8, 12):
        return f"T{month // 4} {year}"
    return f"{MONTHS[month]} {year}"


def trend_svg(
    *,
    title: str,
    unit: str,
    points: Sequence[ChartPoint],
    targets: Sequence[ChartTarget] = (),
    period_months: int = 12,
    decimals: int = 1,
    direction: str = Direction.HIGHER,
    chart_id: str = "trend",
    for_print: bool = False,
    forecast: ChartForecast | None = None,
) -> str:
    """The chart as a standalone ``<svg>`` element (a string of escaped, well-formed XML).

    ``for_print`` draws the same picture without what paper cannot use: no ``<title>``, ``<desc>``
    or tooltips, no ARIA, no CSS, and each point is its marker alone. WeasyPrint lays out every
    element, so fewer make a faster PDF; the words belong on the image (``trend_alt``).
    """
    points, fmt, targets_by_year = _prepare(points, targets, unit, decimals)
    size = f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"'
    font = f'font-family="system-ui, sans-serif" font-size="12" fill="{INK}"'
    if for_print:
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" {size} {font}>']
    else:
        chart_id = re.sub(r"[^A-Za-z0-9_-]", "", chart_id) or "trend"
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" {size} '
            f'style="max-width:100%;height:auto" {font}>',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">'
            f"{escape(describe(points, targets_by_year, fmt, direction, period_months))}</desc>",
        ]
    years = sorted({p.year for p in points} | set(targets_by_year))
    if not points:
        out.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(_('Inga utfall att visa.'))}</text></svg>"
        )
        return "".join(out)

    first_year, n_years = years[0], years[-1] - years[0] + 1

    def x(year: int, month: float) -> float:
        months = (year - first_year) * 12 + month
        return LEFT + months / (n_years * 12) * (RIGHT - LEFT)

    numbers = [p.value for p in points] + [v for t in targets for v in t.values]
    if forecast is not None:
        numbers.append(forecast.value)
    low, high, step = nice_scale(float(min(numbers)), float(max(numbers)))
    step_decimals = tick_decimals(step)

    def y(value: Decimal | float) -> float:
        return BOTTOM - (float(value) - low) / (high - low) * (BOTTOM - TOP)

    # Axes: horizontal grid lines with values, year bands with labels, and both axis titles.
    out.append(f'<g class="axis axis-y" font-size="11" fill="{MUTED}">')
    tick = low
    while tick <= high + step / 2:
        out.append(
            f'<line x1="{LEFT}" x2="{RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{escape(format_number(tick, step_decimals))}</text>"
        )
        tick += step
    out.append(
        f'<text class="axis-label" x="{LEFT - 6}" y="{TOP - 14}" text-anchor="end" '
        f'fill="{INK}">{escape(unit or _("Värde"))}</text></g>'
    )
    out.append(f'<g class="axis axis-x" font-size="11" fill="{MUTED}">')
    for year in range(first_year, first_year + n_years + 1):
        out.append(
            f'<line x1="{x(year, 0):.1f}" x2="{x(year, 0):.1f}" y1="{TOP}" y2="{BOTTOM + 6}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        if year < first_year + n_years:
            out.append(
                f'<text x="{x(year, 6):.1f}" y="{BOTTOM + 18}" text-anchor="middle">{year}</text>'
            )
    x_title = {1: _("År (månadsvärden)"), 4: _("År (tertialvärden)")}.get(period_months, _("År"))
    out.append(
        f'<text class="axis-label" x="{(LEFT + RIGHT) / 2}" y="{BOTTOM + 36}" '
        f'text-anchor="middle" fill="{INK}">{escape(x_title)}</text>'
        f'<line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{MUTED}"/></g>'
    )

    if targets:
        out.append('<g class="targets">')
        for t in sorted(targets, key=lambda t: t.year):
            x1, x2 = x(t.year, 0), x(t.year, 12)
            if for_print:
                close = "/>"
            else:
                tip = _("Målvärde %(year)s: %(label)s") % {"year": t.year, "label": t.label}
                close = f"><title>{escape(tip)}</title></line>"
            if len(t.values) == 2:
                top, bottom = y(max(t.values)), y(min(t.values))
                out.append(
                    f'<rect class="target-band" x="{x1:.1f}" y="{top:.1f}" width="{x2 - x1:.1f}" '
                    f'height="{bottom - top:.1f}" fill="{TARGET}" fill-opacity="0.1"/>'
                )
            for value in t.values:
                out.append(
                    f'<line class="target" data-year="{t.year}" x1="{x1:.1f}" x2="{x2:.1f}" '
                    f'y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{TARGET}" '
                    f'stroke-width="2" stroke-dasharray="6 4"{close}'
                )
        out.append("</g>")

    coords = [(x(p.year, p.month - period_months / 2), y(p.value)) for p in points]
    if len(coords) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        out.append(
            f'<polyline class="values" points="{path}" fill="none" stroke="{INK}" '
            f'stroke-width="1.5"/>'
        )
    out.append('<g class="points">')
    for p, (cx, cy) in zip(points, coords, strict=True):
        if for_print:  # the point's group is there to carry its tooltip
            out.append(_marker(p.status, cx, cy))
            continue
        target = targets_by_year.get(p.year)
        tip = f"{period_label(p.year, p.month, period_months)}: {fmt(p.value)} – {p.status.label}"
        if target:
            tip += " (" + _("målvärde %(label)s") % {"label": target.label} + ")"
        out.append(
            f'<g class="point point-{p.status.value}"><title>{escape(tip)}</title>'
            f"{_marker(p.status, cx, cy)}</g>"
        )
    out.append("</g>")
    if forecast is not None and coords:
        out.append(_forecast(forecast, coords[-1], (x(forecast.year, 12), y(forecast.value))))
    out.append(_legend(points, bool(targets), for_print))
    out.append("</svg>")
    return "".join(out)


def trend_alt(
    *,
    title: str,
    unit: str,
    points: Sequence[ChartPoint],
    targets: Sequence[ChartTarget] = (),
    period_months: int = 12,
    decimals: int = 1,
    direction: str = Direction.HIGHER,
) -> str:
    """The chart in words, as the alternative text of an image of it: the title and description
    that ``trend_svg`` writes into a screen chart's ``<title>`` and ``<desc>``, as sentences."""
    points, fmt, targets_by_year = _prepare(points, targets, unit, decimals)
    description = describe(points, targets_by_year, fmt, direction, period_months)
    title = title.strip().rstrip(".")
    return f"{title}. {description}" if title else description


def _prepare(points, targets, unit: str, decimals: int):
    """What the drawing and the words both read: the points in time order, values formatted with
    the unit, and the targets by year."""
    with_unit = (lambda text: f"{text}\u00a0{unit}") if unit else (lambda text: text)
    fmt = lambda value: with_unit(format_number(value, decimals))  # noqa: E731
    points = sorted(points, key=lambda p: (p.year, p.month))
    return points, fmt, {t.year: t for t in targets}


def _forecast(forecast: ChartForecast, start, end) -> str:
    """The forecast apart from the values: dotted, its own colour and marker, and in words."""
    (x1, y1), (x2, y2) = start, end
    label = escape(forecast.label)
    return (
        f'<g class="forecast"><title>{label}</title>'
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{FORECAST}" '
        f'stroke-width="2" stroke-dasharray="2 3"/>'
        f'<rect x="{x2 - 5:.1f}" y="{y2 - 5:.1f}" width="10" height="10" fill="#fff" '
        f'stroke="{FORECAST}" stroke-width="2"/>'
        f'<text x="{x2 - 8:.1f}" y="{y2 - 10:.1f}" text-anchor="end" fill="{FORECAST}">'
        f"{label}</text></g>"
    )


def _marker(status: Status, cx: float, cy: float, size: float = 5) -> str:
    colour = COLOURS[status]
    if status == Status.MET:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{size}" fill="{colour}"/>'
    if status == Status.CLOSE:
        s = size * 1.3
        return (
            f'<polygon points="{cx:.1f},{cy - s:.1f} {cx + s:.1f},{cy:.1f} {cx:.1f},{cy + s:.1f} '
            f'{cx - s:.1f},{cy:.1f}" fill="{colour}"/>'
        )
    if status == Status.NOT_MET:
        return (
            f'<path d="M{cx - size:.1f} {cy - size:.1f}L{cx + size:.1f} {cy + size:.1f}'
            f'M{cx - size:.1f} {cy + size:.1f}L{cx + size:.1f} {cy - size:.1f}" '
            f'stroke="{colour}" stroke-width="2.5" fill="none"/>'
        )
    return (
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{size}" fill="#fff" stroke="{colour}" '
        f'stroke-width="2"/>'
    )


def _legend(points: Sequence[ChartPoint], has_targets: bool, for_print: bool) -> str:
    present = {p.status for p in points}
    items = [
        s for s in (Status.MET, Status.CLOSE, Status.NOT_MET, Status.NO_TARGET) if s in present
    ]
    hidden = "" if for_print else ' aria-hidden="true"'  # the words say it all
    out = [f'<g class="legend" font-size="11"{hidden} transform="translate({LEFT},{HEIGHT - 22})">']
    offset = 0.0
    for status in items:
        out.append(_marker(status, offset + 5, 0, size=4))
        out.append(f'<text x="{offset + 14}" y="4">{escape(status.label)}</text>')
        offset += 24 + 6.5 * len(status.label)
    if has_targets:
        out.append(
            f'<line x1="{offset}" x2="{offset + 20}" y1="0" y2="0" stroke="{TARGET}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{offset + 26}" y="4">{escape(_("Målvärde"))}</text>'
        )
    out.append("</g>")
    return "".join(out)


def describe(points, targets_by_year, fmt, direction: str, period_months: int) -> str:
    """The trend in words: span, latest value and status, change since the first value."""
    if not points:
        return _("Det finns inga utfall att visa ännu.")
    first, last = points[0], points[-1]
    label = lambda p: period_label(p.year, p.month, period_months)  # noqa: E731
    parts = [
        _("%(n)s utfall från %(first)s till %(last)s.")
        % {"n": len(points), "first": label(first), "last": label(last)},
        _("Senaste utfall %(value)s (%(period)s): %(status)s.")
        % {"value": fmt(last.value), "period": label(last), "status": last.status.label},
    ]
    if target := targets_by_year.get(last.year):
        parts.append(
            _("Målvärde %(year)s: %(label)s.") % {"year": last.year, "label": target.label}
        )
    if len(points) > 1:
        change = last.value - first.value
        if change == 0:
            parts.append(_("Värdet är detsamma som %(period)s.") % {"period": label(first)})
        else:
            text = _("ökat") if change > 0 else _("minskat")
            sentence = _("Sedan %(period)s har värdet %(change)s med %(amount)s") % {
                "period": label(first),
                "change": text,
                "amount": fmt(abs(change)),
            }
            better = (change > 0) == (direction == Direction.HIGHER)
            if direction == Direction.RANGE:
                sentence += "."
            elif better:
                sentence += _(", en förbättring.")
            else:
                sentence += _(", en försämring.")
            parts.append(sentence)
    rated = [p for p in points if p.status in (Status.MET, Status.CLOSE, Status.NOT_MET)]
    if rated:
        met = sum(1 for p in rated if p.status == Status.MET)
        parts.append(
            _("%(met)s av %(rated)s utfall med målvärde når målet.")
            % {"met": met, "rated": len(rated)}
        )
    return " ".join(parts)
