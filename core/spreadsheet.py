"""Spreadsheet safety: every cell an export writes goes through ``safe_cell``.

Two faults, one function:

- Text that a spreadsheet program would run as a formula. Excel, LibreOffice and Google Sheets
  treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, after a leading tab or carriage
  return, the same) as a formula, so ``=HYPERLINK(…)`` typed into a goal title would become a live
  link in an exported file. Such text gets a leading apostrophe.
- Characters a spreadsheet cannot hold (``core.text``): stored text with a vertical tab made
  openpyxl raise ``IllegalCharacterError`` and every export with it answer 500. They are removed.

Numbers are written as numbers and need no treatment. The open data CSV goes through
``safe_csv_cell``, which also leaves numbers written as text ("-3.5") as they are.
"""

import re

from core.text import clean_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralise_formula(text):
    """``text`` with a leading apostrophe if a spreadsheet would read it as a formula.

    Non-strings (numbers, dates, None) come back unchanged, so a row can be passed through whole.
    The apostrophe is what Excel itself uses to mark "this is text", and what OWASP recommends.
    """
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_cell(value):
    """``value`` as a spreadsheet can hold it and will not run: see the module's docstring.
    Line endings become line feeds: whether a carriage return survives the file depends on the
    XML library openpyxl finds (lxml keeps it, the standard library's parser does not)."""
    value = clean_text(value)
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return neutralise_formula(value)


def safe_row(values):
    return [safe_cell(value) for value in values]


def safe_csv_cell(value):
    """``safe_cell`` for a CSV, where numbers are text too: a plain number ("-3.5") is no formula
    and stays as it is, so the column still reads as numbers."""
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        return value
    return safe_cell(value)
