"""PDF reports rendered from HTML templates with WeasyPrint, cached by their content.

The templates carry their own print stylesheet (``reports/pdf/_base.html``): A4 pages numbered
"Sida n av N", a cover page, table headers repeated on every page and rows that never split.
Charts are SVG drawn for print by ``followup.charts.trend_svg``, embedded as ``data:`` images
(``chart_image``), so the PDF needs no network and no browser. The PDF is tagged (PDF/UA-1) so
screen readers can follow headings and tables, and each chart is a figure with its description as
alternative text; should WeasyPrint's tagging fail on a layout, the report is still delivered,
untagged.

Laying out the PDF is the cost (about a second for a city's follow-up report), rendering the HTML
is cheap. So the PDF is cached under a hash of its HTML (with WeasyPrint's version and the PDF
variant): the same content is laid out once, and any change in values, targets, statuses or texts
gives new HTML and so a new PDF on the very next request, with nothing to invalidate. The HTML
must therefore hold nothing that changes from one request to the next (the cover shows the date
it was printed, not the time).
"""

import base64
import functools
import gc
import hashlib
import importlib.metadata
import logging

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import format_html

from core.text import clean_text

logger = logging.getLogger(__name__)
# WeasyPrint reports every rendering step at INFO; only its warnings belong in the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

VARIANT = "pdf/ua-1"
# How long a laid-out PDF is kept. The key is the content, so this only bounds the space used by
# reports nobody asks for any more; a changed report gets a new key at once.
CACHE_SECONDS = 7 * 24 * 3600
SVG_DATA = "data:image/svg+xml;base64,"


@functools.cache
def _inline_only():
    """A report never reaches out: a chart embedded as a ``data:`` URL is read, any other URL is
    refused (WeasyPrint logs the refusal and lays out the report without it).

    A subclass of WeasyPrint's fetcher, as WeasyPrint 70 requires (it reads the fetcher's own
    settings when a fetch fails); made on first use, since importing WeasyPrint takes a while.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class InlineOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(SVG_DATA):
                svg = base64.b64decode(url[len(SVG_DATA) :], validate=True)
                return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
            raise ValueError(f"External resource refused in a PDF report: {url[:80]}")

    return InlineOnly()


def chart_image(svg: str, alt: str) -> str:
    """A trend chart as an ``<img>``: ``svg`` drawn for print (``trend_svg(..., for_print=True)``),
    ``alt`` its words (``trend_alt``).

    WeasyPrint parses and styles inline SVG as part of the HTML, element by element, which takes
    longer than drawing it: as an image the SVG is parsed once, by an XML parser. With its words as
    ``alt`` the image is a tagged figure in the PDF, which inline SVG is not.
    """
    return format_html(
        '<img class="chart" src="{}{}" alt="{}">',
        SVG_DATA,
        # An SVG is XML: a stray control character in a name would make it unreadable.
        base64.b64encode(clean_text(svg).encode()).decode("ascii"),
        alt,
    )


@functools.cache
def _weasyprint_version() -> str:
    return importlib.metadata.version("weasyprint")  # without importing it: that takes a while


def cache_key(html: str, variant: str = VARIANT) -> str:
    digest = hashlib.sha256()
    for part in (_weasyprint_version(), variant, html):
        digest.update(part.encode())
        digest.update(b"\0")
    return f"reports.pdf:{digest.hexdigest()}"


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    """The template rendered as a tagged PDF: from the cache when the same HTML was laid out
    before."""
    return pdf_of_html(render_to_string(template, context, request=request), template)


def pdf_of_html(html: str, template: str = "") -> bytes:
    """``html`` laid out as a tagged PDF, from the cache when the same HTML was laid out before.
    ``template`` names it in the log."""
    key = cache_key(html)
    try:
        data = cache.get(key)
    except Exception:  # a cache that fails costs time, not the report
        logger.warning("PDF cache unavailable; laying out %s", template, exc_info=True)
        data = None
    if data is not None:
        return data
    data = layout_pdf(html, template)
    try:
        cache.set(key, data, CACHE_SECONDS)
    except Exception:
        logger.warning("PDF cache unavailable; %s not stored", template, exc_info=True)
    return data


def layout_pdf(html: str, template: str = "") -> bytes:
    try:
        # Stored text with a character XML cannot hold (``core.text``) is written without it.
        return _layout(clean_text(html), template)
    finally:
        # A layout leaves tens of MB of boxes that point at each other; only a full collection
        # frees them, and a served worker runs those rarely (core/runtime.py). Collected here,
        # once per laid-out report (a few ms next to the layout), memory stays flat.
        gc.collect()


def _layout(html: str, template: str) -> bytes:
    from weasyprint import HTML  # imported when used: it takes a while to load

    document = HTML(string=html, url_fetcher=_inline_only(), base_url="about:blank").render()
    try:
        return document.write_pdf(pdf_variant=VARIANT)
    except Exception:  # WeasyPrint's tagging is young; an untagged report beats none
        logger.warning("Tagged PDF failed for %s; writing it untagged", template, exc_info=True)
        return document.write_pdf()
