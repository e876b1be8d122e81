"""Numbers as Swedish users type and read them: "1 234,5", "−3,2", "1234.5".

``format_number`` is the one way a number is shown: "1 234,5", a non-breaking space between the
thousands and a decimal comma. Pages, charts, import previews and Kolada messages all use it.

``parse_decimal`` is the one rule for a number typed or read from a file: it refuses what is not
a number (``ValueError``) and, before anything rounds it, what no value column can hold
(``NumberTooLarge``, "talet är för stort"). Rounding a huge number to four decimals needs more
digits than the decimal context has and raised ``InvalidOperation`` — a 500 — so the size is
checked on the number as typed.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

_SPACES = str.maketrans("", "", " \u00a0\u202f\t")


class NumberTooLarge(ValueError):
    """A number, or an infinity, beyond what a value column holds."""


def check_size(value: Decimal, *, whole_digits: int = 14) -> Decimal:
    """``value`` if a column with ``whole_digits`` before the decimal point (a value column by
    default) can hold it; else raise ``NumberTooLarge``."""
    if value.is_nan():  # compared with anything, a NaN raises
        raise ValueError(str(value))
    # ``adjusted()`` is the power of ten of the leading digit: no arithmetic, so no decimal
    # context, whose limits a number like 9e999999999 exceeds (``abs`` raised Overflow).
    if value.is_infinite() or (not value.is_zero() and value.adjusted() >= whole_digits):
        raise NumberTooLarge(str(value))
    return value


def too_large_field_message(whole_digits: int = 14) -> str:
    """The message of a form or API field for a number too large for its column."""
    return gettext("Talet är för stort: högst %(digits)s siffror före decimaltecknet.") % {
        "digits": whole_digits
    }


def parse_decimal(text: str) -> Decimal:
    """Parse a number written with a decimal comma or point; raise ValueError if it is not one,
    ``NumberTooLarge`` (a ValueError) if it is too large to store."""
    cleaned = text.strip().translate(_SPACES).replace("\u2212", "-")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    return check_size(value)


def too_large_message(text) -> str:  # values are stored with 18 digits, 4 of them decimals
    """The message for a number the person typed (``text``) that is too large to store."""
    return gettext("”%(text)s”: talet är för stort (högst 14 siffror före decimaltecknet).") % {
        "text": text
    }


def format_number(value: Decimal | float, decimals: int) -> str:
    """Swedish style: "1 234,5" (thousands split by a non-breaking space, a decimal comma)."""
    if value == 0:
        value = abs(value)  # no "-0,0"
    return f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
