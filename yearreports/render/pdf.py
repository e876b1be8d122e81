"""A document as a tagged PDF (WeasyPrint, through ``reports.pdf`` like every other PDF here).

The page is ``templates/yearreports/render/pdf.html`` around the same fragment the report page
shows (``to_html(..., for_print=True)``): its ``lang`` is the document's language (the PDF's
``/Lang``), its ``<title>`` the PDF's title, headings give the bookmarks (``bookmark-level``),
tables repeat their header on every page, charts are images with their alt text, and pages are
numbered "Sida n av N". ``reports.pdf.render_pdf`` caches the laid-out PDF by its HTML, so a
frozen report is laid out once; ``cache=False`` lays it out anew (the benchmark's cold figure).
"""

from django.template.loader import render_to_string

from reports.pdf import layout_pdf, render_pdf

from .html import FRAGMENT, context

TEMPLATE = "yearreports/render/pdf.html"


def to_pdf(document, *, cache: bool = True) -> bytes:
    page = context(document, for_print=True)
    page["fragment"] = render_to_string(FRAGMENT, page)
    if cache:
        return render_pdf(TEMPLATE, page)
    return layout_pdf(render_to_string(TEMPLATE, page), TEMPLATE)
