"""Locking an occasion for one unit's subtree, and reopening it: a subtree administrator's lock.

A city-wide lock is ``assessment_views.occasion_lock``; this one locks the unit in the URL and
every unit below it. The confirmation and reopening pages are the city-wide ones, told the unit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organisation import access
from organisation.models import OrgUnit

from . import locking
from .assessment_forms import ReopenForm
from .assessment_views import _occasion_cards
from .models import FollowUpOccasion, OccasionUnitLock


def _occasion_and_unit(request: HttpRequest, pk: int, code: str):
    occasion = get_object_or_404(FollowUpOccasion, pk=pk)
    unit = get_object_or_404(OrgUnit, code=code)
    access.require(access.can_lock_for_unit(request.user, unit))
    return occasion, unit


def _names(occasion, unit) -> dict[str, object]:
    return {"occasion": occasion, "unit": unit.name}


@login_required
def occasion_unit_lock(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """GET asks for confirmation (the subtree's scorecards and what is unassessed); POST locks."""
    occasion, unit = _occasion_and_unit(request, pk, code)
    detail = redirect("occasion_detail", pk=occasion.pk)
    if occasion.is_locked or locking.occasion_locked_for(occasion, unit):
        messages.info(
            request, _("%(occasion)s är redan låst för %(unit)s.") % _names(occasion, unit)
        )
        return detail
    if request.method != "POST":
        below = OrgUnit.objects.descendants(unit, include_self=True).values_list("pk", flat=True)
        cards = list(_occasion_cards(request, occasion).filter(unit_id__in=list(below)))
        goals = sum(c.goal_count for c in cards)
        context = {
            "occasion": occasion,
            "unit": unit,
            "cards": cards,
            "unfinished": [c for c in cards if c.assessed_count < c.goal_count],
            "goal_total": goals,
            "missing": goals - sum(c.assessed_count for c in cards),
            "cancel_url": reverse("occasion_detail", args=[occasion.pk]),
        }
        return render(request, "followup/occasion_lock.html", context)
    locking.unit_lock(occasion=occasion, unit=unit, user=request.user)
    messages.success(request, _("%(occasion)s är låst för %(unit)s.") % _names(occasion, unit))
    return detail


@login_required
def occasion_unit_reopen(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    occasion, unit = _occasion_and_unit(request, pk, code)
    if not OccasionUnitLock.objects.filter(occasion=occasion, unit=unit).exists():
        messages.info(
            request, _("%(occasion)s är inte låst för %(unit)s.") % _names(occasion, unit)
        )
        return redirect("occasion_detail", pk=occasion.pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            locking.unit_reopen(
                occasion=occasion, unit=unit, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(occasion)s är öppnat igen för %(unit)s.") % _names(occasion, unit)
            )
            return redirect("occasion_detail", pk=occasion.pk)
    context = {
        "occasion": occasion,
        "unit": unit,
        "form": form,
        "cancel_url": reverse("occasion_detail", args=[occasion.pk]),
    }
    return render(request, "followup/occasion_reopen.html", context)
