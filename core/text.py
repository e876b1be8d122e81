"""Characters that XML, and so .xlsx, .docx, SVG and PDF metadata, cannot hold.

XML 1.0 allows tab, line feed, carriage return and everything from U+0020 up, except the
surrogate halves (U+D800–U+DFFF) and U+FFFE/U+FFFF. Anything else — the C0 control characters
such as the vertical tab (U+000B) that Word and Excel put in pasted text for a manual line break —
cannot be written to a spreadsheet: openpyxl raises ``IllegalCharacterError``. One stored goal
title with such a character used to break every export that included it.

Two rules, one place:

- ``validate_text`` refuses such text on the way in. ``core.apps`` makes it a default validator
  of every text field (Django's model and form ``CharField``/``TextField``, DRF's ``CharField``),
  so forms, HTMX partials, the admin and the API refuse it with the same Swedish message; the
  value entry and the spreadsheet import call it for the text they read themselves.
- ``clean_text`` removes them on the way out. Every export writer goes through it
  (``core.spreadsheet.safe_cell``, the open data files, the PDF's HTML), so text stored before
  the rule, or by a path that bypasses validation, is written without them instead of failing.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The complement of XML 1.0's Char production.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A vertical tab or form feed is a line break to the person who typed it.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})

MESSAGE = _(
    "Texten innehåller ett osynligt tecken som inte kan sparas (%(code)s), ofta från inklistrad "
    "text. Ta bort det och försök igen."
)


def first_forbidden(text: str) -> str | None:
    """The first character of ``text`` that XML cannot hold, as "U+000B", or None."""
    found = FORBIDDEN.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def validate_text(value) -> None:
    """Raise ``ValidationError`` (code "control_character") if ``value`` holds such a character.

    Values that are not text (a number, a date, a parsed JSON document) pass: the validator is a
    default of every text field, and some of those fields hold other things.
    """
    if not isinstance(value, str):
        return
    code = first_forbidden(value)
    if code:
        raise ValidationError(MESSAGE, code="control_character", params={"code": code})


def text_problem(value) -> str:
    """The Swedish message of ``validate_text`` for ``value``, or "" if it is fine."""
    try:
        validate_text(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def clean_text(value):
    """``value`` without the characters XML cannot hold; non-strings come back unchanged."""
    if not isinstance(value, str) or not FORBIDDEN.search(value):
        return value
    return FORBIDDEN.sub("", value.translate(_LINE_BREAKS))
