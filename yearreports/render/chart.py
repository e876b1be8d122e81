"""A chart block drawn twice from one layout: as SVG (the HTML page and the PDF) and as PNG (Word).

A ``ChartBlock`` holds plain series of (period label, value); the layout turns it into a few
shapes — lines, polylines, markers, texts — in a 640 × 340 box, in the look of the follow-up
trend charts (``followup.charts``: same size, colours, fonts, dashed blue target line and the
round axis steps of ``core.chartscale``). Forecast series are drawn dashed, actuals solid, and the
legend says which is which in words, so the picture never relies on colour alone.

Word cannot show SVG without a PNG fallback, so the same shapes are drawn with Pillow (already
installed as WeasyPrint's dependency) instead of adding a cairo binding. Stored values may be
anything: values that are not finite numbers are treated as unknown, and every text is escaped
and cut short in the picture (the words are the alt text, which is never cut).
"""

import functools
import math
from dataclasses import dataclass
from html import escape
from io import BytesIO

from django.utils.translation import gettext as _

from core.chartscale import nice_scale, tick_decimals
from core.numbers import format_number
from core.text import clean_text

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 624, 36, 262
INK, MUTED, GRID, TARGET = "#1b1f24", "#4a5560", "#d5dbe1", "#0b5394"
# Series colours after the first (ink): distinct in hue and lightness, each also told by the
# legend's words and by solid/dashed.
PALETTE = (INK, "#8a5a00", "#1e7b34", "#6a3d9a", "#b3261e", "#4a5560")
DASH = (6, 4)
MAX_LABELS = 12  # x-axis labels shown at most; the rest are in the alt text
LIMIT = 1e15  # beyond this a stored value is not a figure anyone reports
FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start | middle | end (SVG's text-anchor), y is the baseline
    size: int = 11
    colour: str = MUTED


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    colour: str
    hollow: bool = False


def number(value) -> float | None:
    """A stored value as a finite float within reason, or None (unknown)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and abs(value) < LIMIT else None


def short(text, length: int = 40) -> str:
    text = " ".join(str(clean_text(text or "")).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def layout(block: dict) -> list:
    """The chart's shapes, in drawing order."""
    series = [s for s in block.get("series") or [] if isinstance(s, dict)]
    labels: list[str] = []
    for s in series:
        for point in s.get("points") or []:
            label = str(point[0]) if point else ""
            if label not in labels:
                labels.append(label)
    target = number(block.get("target"))
    values = [
        v
        for s in series
        for p in (s.get("points") or [])
        if len(p) > 1 and (v := number(p[1])) is not None
    ]
    shapes: list = []
    if not values or not labels:
        return [Text(WIDTH / 2, HEIGHT / 2, _("Inga värden att visa."), "middle", 12)]
    numbers = values + ([target] if target is not None else [])
    low, high, step = nice_scale(min(numbers), max(numbers))
    if not (high > low and step > 0):
        low, high, step = low - 1, low + 1, 0.5

    def y(value: float) -> float:
        return BOTTOM - (value - low) / (high - low) * (BOTTOM - TOP)

    band = (RIGHT - LEFT) / len(labels)

    def x(index: int) -> float:
        return LEFT + band * (index + 0.5)

    decimals = tick_decimals(step)
    tick, ticks = low, 0
    while tick <= high + step / 2 and ticks < 20:
        shapes.append(Line(((LEFT, y(tick)), (RIGHT, y(tick))), GRID))
        shapes.append(Text(LEFT - 6, y(tick) + 4, format_number(tick, decimals), "end"))
        tick += step
        ticks += 1
    shapes.append(Text(LEFT - 6, TOP - 14, short(block.get("unit"), 20) or _("Värde"), "end"))
    every = math.ceil(len(labels) / MAX_LABELS)
    for index, label in enumerate(labels):
        if index % every == 0:
            shapes.append(Text(x(index), BOTTOM + 18, short(label, 14), "middle"))
    shapes.append(Line(((LEFT, BOTTOM), (RIGHT, BOTTOM)), MUTED))
    if target is not None:
        shapes.append(Line(((LEFT, y(target)), (RIGHT, y(target))), TARGET, 2, True))
    position = {label: i for i, label in enumerate(labels)}
    for number_, s in enumerate(series):
        colour = PALETTE[number_ % len(PALETTE)]
        dashed = s.get("style") == "dashed"
        run: list[tuple[float, float]] = []
        for point in s.get("points") or []:
            value = number(point[1]) if len(point) > 1 else None
            if value is None:  # a gap: the line stops and starts again
                if len(run) > 1:
                    shapes.append(Line(tuple(run), colour, 1.5, dashed))
                run = []
                continue
            xy = (x(position[str(point[0])]), y(value))
            run.append(xy)
            shapes.append(Dot(*xy, colour, hollow=dashed))
        if len(run) > 1:
            shapes.append(Line(tuple(run), colour, 1.5, dashed))
    shapes += _legend(series, target is not None)
    return shapes


def _legend(series: list, has_target: bool) -> list:
    out, offset, baseline = [], float(LEFT), HEIGHT - 18
    entries = [
        (short(s.get("label"), 24), PALETTE[i % len(PALETTE)], s.get("style") == "dashed")
        for i, s in enumerate(series[:6])
    ]
    if has_target:
        entries.append((_("Målvärde"), TARGET, True))
    for label, colour, dashed in entries:
        if offset > RIGHT - 40:
            break
        out.append(Line(((offset, baseline - 4), (offset + 20, baseline - 4)), colour, 2, dashed))
        out.append(Text(offset + 26, baseline, label, "start", 11, INK))
        offset += 36 + 6.5 * len(label)
    return out


def svg(block: dict, *, label: str = "") -> str:
    """The chart as an ``<svg>`` element. With ``label`` (the alt text) it is an image for
    screen readers (``role="img"``, ``aria-label`` and ``<title>``); without, a bare drawing
    for an ``<img>`` that carries the words itself."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" font-family="DejaVu Sans, system-ui, sans-serif" font-size="12" '
        f'fill="{INK}"'
    )
    if label:
        label = escape(clean_text(label))
        out = [
            f'{head} role="img" aria-label="{label}" class="chart-svg" '
            f'style="max-width:100%;height:auto"><title>{label}</title>'
        ]  # scales down to a phone's width
    else:
        out = [f"{head}>"]
    for shape in layout(block):
        if isinstance(shape, Line):
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in shape.points)
            dash = f' stroke-dasharray="{DASH[0]} {DASH[1]}"' if shape.dashed else ""
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{shape.colour}" '
                f'stroke-width="{shape.width}"{dash}/>'
            )
        elif isinstance(shape, Dot):
            fill = "#fff" if shape.hollow else shape.colour
            out.append(
                f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="3.5" fill="{fill}" '
                f'stroke="{shape.colour}" stroke-width="1.5"/>'
            )
        else:
            out.append(
                f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" text-anchor="{shape.anchor}" '
                f'font-size="{shape.size}" fill="{shape.colour}">{escape(shape.text)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


@functools.cache
def _font(size: int):
    from PIL import ImageFont

    for path in FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def png(block: dict, scale: float = 1.5) -> bytes:
    """The chart as a PNG, ``scale`` times 640 × 340 pixels (150 dpi printed at 16 cm)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (round(WIDTH * scale), round(HEIGHT * scale)), "white")
    draw = ImageDraw.Draw(image)
    s = lambda xy: (xy[0] * scale, xy[1] * scale)  # noqa: E731
    for shape in layout(block):
        if isinstance(shape, Line):
            width = max(1, round(shape.width * scale))
            points = [s(p) for p in shape.points]
            if shape.dashed:
                for a, b in _dashes(points, DASH[0] * scale, DASH[1] * scale):
                    draw.line([a, b], fill=shape.colour, width=width)
            else:
                draw.line(points, fill=shape.colour, width=width, joint="curve")
        elif isinstance(shape, Dot):
            r = 3.5 * scale
            cx, cy = s((shape.x, shape.y))
            draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r),
                fill="white" if shape.hollow else shape.colour,
                outline=shape.colour,
                width=max(1, round(1.5 * scale)),
            )
        else:
            draw.text(
                s((shape.x, shape.y)),
                shape.text,
                fill=shape.colour,
                font=_font(round(shape.size * scale)),
                anchor=ANCHORS[shape.anchor],
            )
    out = BytesIO()
    image.save(out, "PNG", compress_level=1)  # a few kB more, far less time
    return out.getvalue()


def _dashes(points, on: float, off: float):
    """The pieces of a dashed polyline, the pattern carried on from one segment to the next."""
    phase, drawing = 0.0, True
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        length = math.hypot(x2 - x1, y2 - y1)
        pos = 0.0
        while pos < length:
            step = min((on if drawing else off) - phase, length - pos)
            if drawing and step > 0:
                t1, t2 = pos / length, (pos + step) / length
                yield (
                    (x1 + (x2 - x1) * t1, y1 + (y2 - y1) * t1),
                    (x1 + (x2 - x1) * t2, y1 + (y2 - y1) * t2),
                )
            pos += step
            phase += step
            if phase >= (on if drawing else off) - 1e-9:
                phase, drawing = 0.0, not drawing
