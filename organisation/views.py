from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from scorecards.models import Scorecard

from . import access
from .models import OrgUnit
from .tree_html import tree_html


def unit_tree(request: HttpRequest) -> HttpResponse:
    """The whole organisation as a nested list, built from one tree query."""
    units = list(OrgUnit.objects.with_tree_fields().select_related("replaced_by"))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    year = date.today().year
    visible = Scorecard.objects.in_year(year).filter(access.visible_scorecards_q(request.user))
    cards = dict(visible.values_list("unit_id", "pk"))
    context = {
        "tree": tree_html(children.get(None, []), children, cards, year),
        "unit_count": len(units),
    }
    return render(request, "organisation/unit_tree.html", context)


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
        "can_manage_roles": access.is_admin(request.user),
        "year": date.today().year,
    }
    return render(request, "organisation/unit_detail.html", context)
