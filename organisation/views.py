from datetime import date

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from scorecards.models import Scorecard

from . import access
from .models import OrgUnit
from .tree_html import tree_html

# Up to this many units the page shows them all. A larger city sees its top levels (kommun,
# nämnder och styrelser, förvaltningar) with a link to what lies below each, so the page stays as
# quick to read and to serve at a thousand units as at a hundred; ?hela=1 shows everything.
WHOLE_TREE_UP_TO = 200
OVERVIEW_LEVELS = 3


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The organisation as a nested list: whole for a small city, its top levels for a large one."""
    total = OrgUnit.objects.count()
    whole = total <= WHOLE_TREE_UP_TO or request.GET.get("hela") == "1"
    if whole:
        units = list(OrgUnit.objects.with_tree_fields())
    else:
        units = list(_top_levels(OVERVIEW_LEVELS))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    below = {u.pk: u.below for u in units if not whole and u.below and u.pk not in children}
    year = date.today().year
    visible = Scorecard.objects.in_year(year).filter(access.visible_scorecards_q(request.user))
    cards = dict(visible.values_list("unit_id", "pk"))
    context = {
        "tree": tree_html(children.get(None, []), children, cards, year, below=below),
        "unit_count": total,
        "whole": whole,
        "levels": OVERVIEW_LEVELS,
    }
    return render(request, "organisation/unit_tree.html", context)


def _top_levels(levels: int):
    """Units at most ``levels`` deep, each with ``below``: its number of direct children."""
    top, path = Q(parent=None), "parent"
    for _level in range(levels - 1):
        top |= Q(**{f"{path}__parent": None})
        path += "__parent"
    return OrgUnit.objects.filter(top).annotate(below=Count("children"))


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.select_related("parent", "replaced_by"), code=code)
    scorecards = (
        Scorecard.objects.for_unit(unit)
        .filter(access.visible_scorecards_q(request.user))
        .order_by("-year")
    )
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": OrgUnit.objects.filter(parent=unit),
        "scorecards": scorecards,
        "can_edit": access.can_edit(request.user, unit),
        "can_manage_roles": access.can_administer(request.user, unit),
        "year": date.today().year,
    }
    return render(request, "organisation/unit_detail.html", context)
