"""Template filters for wording that must read the same on every page."""

from django import template

from core.wording import period_label

register = template.Library()


@register.filter
def period(occasion, with_year: bool = True) -> str:
    """A follow-up occasion's months: ``{{ occasion|period }}`` → "januari–april 2026"."""
    start = getattr(occasion, "start_month", None) or 1
    year = occasion.year if with_year else None
    return period_label(occasion.end_month, year, start_month=start)
