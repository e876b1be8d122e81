from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from core.numbers import format_number

register = template.Library()


@register.filter
def kronor(value) -> str:
    """Whole kronor with a space between thousands, "–" for none (as Swedish reports write)."""
    if value is None:
        return "–"
    return format_number(Decimal(value), 0).replace("-", "−")


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{value}".replace(".", ",").replace("-", "−") + "\u00a0%"


@register.filter
def deviation_word(value) -> str:
    """The deviation in words beside its sign, so it is never told by colour alone."""
    if value is None or value == 0:
        return ""
    return _("bättre än budget") if value > 0 else _("sämre än budget")


@register.filter
def economy_readable(unit, user) -> bool:
    """Whether ``user`` reads ``unit``'s economy: for the link on the unit's page."""
    from organisation import access

    return access.can_read_economy(user, unit)
