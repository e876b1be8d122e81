"""Renderers of a ``yearreports.document.Document``: Word, PDF and HTML.

Each takes the stored document (a dict; see ``yearreports.render.prepare.normalise`` for what a
renderer makes of a malformed one) and knows no model.
"""

from .html import to_html
from .pdf import to_pdf
from .wordfile import to_docx

__all__ = ["to_docx", "to_html", "to_pdf"]
