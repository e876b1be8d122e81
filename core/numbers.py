"""Numbers as Swedish users type them: "1 234,5", "−3,2", "1234.5"."""

from decimal import Decimal, InvalidOperation

_SPACES = str.maketrans("", "", " \u00a0\u202f\t")


def parse_decimal(text: str) -> Decimal:
    """Parse a number written with a decimal comma or point; raise ValueError if it is not one."""
    cleaned = text.strip().translate(_SPACES).replace("\u2212", "-")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value
