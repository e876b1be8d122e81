"""PDF reports rendered from HTML templates with WeasyPrint.

The templates carry their own print stylesheet (``reports/pdf/_base.html``): A4 pages numbered
"Sida n av N", a cover page, table headers repeated on every page and rows that never split.
Charts are inline SVG from ``followup.charts.trend_svg``, so the PDF needs no network and no
browser. The PDF is tagged (PDF/UA-1) so screen readers can follow headings and tables; should
WeasyPrint's tagging fail on a layout, the report is still delivered, untagged.
"""

import logging

from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
# WeasyPrint reports every rendering step at INFO; only its warnings belong in the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _no_fetching(url: str, *args, **kwargs):
    """A report never reaches out: everything it shows is inline, so any URL is refused."""
    raise ValueError(f"External resource refused in a PDF report: {url[:80]}")


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported when used: it takes a while to load

    html = render_to_string(template, context, request=request)
    document = HTML(string=html, url_fetcher=_no_fetching, base_url="about:blank").render()
    try:
        return document.write_pdf(pdf_variant="pdf/ua-1")
    except Exception:  # WeasyPrint's tagging is young; an untagged report beats none
        logger.warning("Tagged PDF failed for %s; writing it untagged", template, exc_info=True)
        return document.write_pdf()
