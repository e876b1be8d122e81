"""The organisation tree as nested HTML lists, built in Python.

A city has a thousand units; a template include per node costs more than the rest of the page, so
the list is assembled here with ``format_html`` (every value escaped) in one pass.
"""

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.links import url_maker

from .models import OrgUnit


def tree_html(
    roots: list[OrgUnit],
    children: dict,
    cards: dict[int, int],
    year: int,
    *,
    below: dict[int, int] | None = None,
) -> SafeString:
    """``below``: {unit id: number of its direct children} for units whose children are not shown
    (the unit's page lists them)."""
    below = below or {}
    unit_url, card_url = url_maker("unit_detail"), url_maker("scorecard_detail")
    card_label = _("Styrkort %(year)s") % {"year": year}

    def node(unit: OrgUnit) -> SafeString:
        unit_href = unit_url(unit.code)
        kind = unit.get_kind_display()
        if not unit.is_active:
            ended = _("avvecklad %(date)s") % {"date": date_format(unit.active_until)}
            kind = f"{kind} · {ended}"
        badge = ""
        if unit.pk in cards:
            badge = format_html(
                ' <a class="badge" href="{}">{}</a>', card_url(cards[unit.pk]), card_label
            )
        kids = children.get(unit.pk, [])
        sub = format_html("<ul>{}</ul>", nodes(kids)) if kids else ""
        if unit.pk in below:
            count = below[unit.pk]
            sub = format_html(
                ' · <a href="{}">{}</a>',
                unit_href,
                ngettext("%(count)s enhet under", "%(count)s enheter under", count)
                % {"count": count},
            )
        return format_html(
            '<li><a href="{}"{}>{}</a> <span class="kind">{}</span>{}{}</li>',
            unit_href,
            mark_safe(' class="inactive"') if not unit.is_active else "",  # noqa: S308 - constant
            unit.name,
            kind,
            badge,
            sub,
        )

    def nodes(units: list[OrgUnit]) -> SafeString:
        return format_html_join("", "{}", ((node(u),) for u in units))

    return nodes(roots)
