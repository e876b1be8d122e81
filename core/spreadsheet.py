"""Spreadsheet safety: text that a spreadsheet program would run as a formula.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, after a leading tab or carriage return, the same) as a formula, so ``=HYPERLINK(…)`` typed
into a goal title would become a live link in an exported file. Every exporter writes text cells
through ``neutralise_formula``; numbers are written as numbers and need no treatment.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text):
    """``text`` with a leading apostrophe if a spreadsheet would read it as a formula.

    Non-strings (numbers, dates, None) come back unchanged, so a row can be passed through whole.
    The apostrophe is what Excel itself uses to mark "this is text", and what OWASP recommends.
    """
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def neutralise_row(values):
    return [neutralise_formula(value) for value in values]
