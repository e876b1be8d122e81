from django import template
from django.utils.safestring import mark_safe

from ..richtext import sanitise

register = template.Library()


@register.filter
def report_html(html: str) -> str:
    """A stored text as safe HTML: sanitised again, so a stored document holds no surprise."""
    return mark_safe(sanitise(html))  # noqa: S308 - nh3 leaves only the allowed subset


@register.filter
def index(items, i: int):
    try:
        return items[i]
    except (IndexError, TypeError, KeyError):
        return None


@register.simple_tag
def unit_reports(unit, user):
    """The unit's reports the user may read, newest first (for the unit page)."""
    from organisation import access

    from ..models import Report

    return (
        Report.objects.filter(access.visible_reports_q(user), unit=unit)
        .select_related("occasion", "template")
        .order_by("-occasion__year", "-occasion__end_month")
    )
