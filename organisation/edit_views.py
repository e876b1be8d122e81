"""Creating, editing and deactivating organisation units.

A new unit needs edit rights on its parent (administrators of the whole municipality may also add
top-level units); editing a unit needs edit rights on the unit itself. Deactivating closes a unit
down, which like creating it is decided one level up: it needs edit rights on the parent.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access
from .forms import UnitDeactivateForm, UnitForm
from .models import OrgUnit


def _editable_units(user, *, exclude_subtree_of: OrgUnit | None = None) -> QuerySet[OrgUnit]:
    """Active units the user may place units under, as a tree-ordered queryset.

    One tree query: every unit carries its ``tree_path``, so ``access.can_edit`` needs no more.
    """
    units = OrgUnit.objects.active().with_tree_fields()
    if exclude_subtree_of is not None:
        units = units.exclude(
            pk__in=OrgUnit.objects.descendants(exclude_subtree_of, include_self=True).values("pk")
        )
    ids = [unit.pk for unit in units if access.can_edit(user, unit)]
    return OrgUnit.objects.with_tree_fields().filter(pk__in=ids)


def _may_close(user, unit: OrgUnit) -> bool:
    if unit.parent is None:
        return access.is_root_admin(user)
    return access.can_edit(user, unit.parent)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    parent = None
    if code := request.GET.get("parent"):
        parent = get_object_or_404(OrgUnit, code=code)
        access.require(access.can_edit(request.user, parent))
    is_admin = access.is_root_admin(request.user)
    parents = _editable_units(request.user)
    access.require(is_admin or parents.exists())
    data = request.POST if request.method == "POST" else None
    form = UnitForm(data, parents=parents, allow_root=is_admin, initial={"parent": parent})
    if form.is_valid():
        unit = form.save()
        messages.success(request, _("Enheten %(name)s har skapats.") % {"name": unit.name})
        return redirect(unit)
    context = {
        "form": form,
        "parent": parent,
        "ancestors": list(parent.ancestors(include_self=True)) if parent else [],
        "cancel_url": parent.get_absolute_url() if parent else reverse("unit_tree"),
    }
    return render(request, "organisation/edit/unit_form.html", context)


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), code=code)
    access.require(access.can_edit(request.user, unit))
    # The current parent stays a valid choice even where the user could not add units.
    editable = _editable_units(request.user, exclude_subtree_of=unit)
    ids = [*editable.values_list("pk", flat=True), unit.parent_id]
    parents = OrgUnit.objects.with_tree_fields().filter(pk__in=[pk for pk in ids if pk])
    allow_root = access.is_root_admin(request.user) or unit.parent_id is None
    data = request.POST if request.method == "POST" else None
    form = UnitForm(data, instance=unit, parents=parents, allow_root=allow_root)
    if form.is_valid():
        form.save()
        messages.success(request, _("Enheten %(name)s har sparats.") % {"name": unit.name})
        return redirect(unit)
    context = {
        "form": form,
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "cancel_url": unit.get_absolute_url(),
        "may_close": _may_close(request.user, unit),
    }
    return render(request, "organisation/edit/unit_form.html", context)


@login_required
def unit_deactivate(request: HttpRequest, code: str) -> HttpResponse:
    """Units are never deleted: they get a last day and, optionally, the unit that replaces them."""
    unit = get_object_or_404(OrgUnit.objects.select_related("parent", "replaced_by"), code=code)
    access.require(_may_close(request.user, unit))
    data = request.POST if request.method == "POST" else None
    initial = {"replaced_by": unit.replaced_by}
    if unit.active_until:
        initial["active_until"] = unit.active_until
    form = UnitDeactivateForm(data, unit=unit, initial=initial)
    if form.is_valid():
        unit.deactivate(
            on=form.cleaned_data["active_until"], replaced_by=form.cleaned_data["replaced_by"]
        )
        messages.success(
            request,
            _("Enheten %(name)s avvecklas %(date)s.")
            % {"name": unit.name, "date": unit.active_until.isoformat()},
        )
        return redirect(unit)
    context = {
        "form": form,
        "unit": unit,
        "ancestors": list(unit.ancestors()),
        "cancel_url": unit.get_absolute_url(),
    }
    return render(request, "organisation/edit/unit_deactivate.html", context)
