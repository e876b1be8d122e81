"""A document as an HTML fragment: the report page, the public page of an adopted report and
the PDF all include the same ``templates/yearreports/render/document.html``.

On screen a chart is inline SVG with ``role="img"``, an ``aria-label`` and a ``<title>`` holding
its alt text. In the PDF it is an ``<img>`` of the same SVG with the alt text as ``alt``: WeasyPrint
tags an image as a figure with alternative text (inline SVG it does not tag) and lays it out
faster (see ``reports.pdf.chart_image``).
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reports.pdf import chart_image

from . import chart
from .prepare import normalise

FRAGMENT = "yearreports/render/document.html"


def context(document, *, for_print: bool = False) -> dict:
    doc = normalise(document)
    for number, section in enumerate(doc["sections"], 1):
        section["id"] = f"avsnitt-{number}"
        for block in section["blocks"]:
            if block["type"] == "html":
                block["html"] = mark_safe(block["html"])  # noqa: S308 - sanitised by nh3
            elif block["type"] == "chart":
                if for_print:
                    block["image"] = chart_image(chart.svg(block), block["alt"])
                else:
                    block["image"] = mark_safe(chart.svg(block, label=block["alt"]))  # noqa: S308
            elif block["type"] == "table":
                block["cells"] = [list(zip(row, block["numeric"], strict=False))
                                  for row in block["rows"]]  # fmt: skip
                block["head"] = list(zip(block["columns"], block["numeric"], strict=False))
    return {"doc": doc, "for_print": for_print}


def to_html(document, *, for_print: bool = False) -> str:
    """The document as a fragment (an ``<article>``, its title an ``<h1>``, sections ``<h2>``),
    safe to include in a page: every text escaped, rich text sanitised."""
    return render_to_string(FRAGMENT, context(document, for_print=for_print))
