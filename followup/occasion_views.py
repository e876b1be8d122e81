"""Creating, changing and deleting follow-up occasions of any kind, for administrators of the
whole municipality (``access.can_manage_occasions``). A locked occasion is not changed here (it
is reopened first, with a logged reason); one with assessments keeps its period and is not
deleted."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import SiteSettings
from organisation import access

from . import scales
from .models import FollowUpOccasion
from .occasion_forms import YEAR_MAX, YEAR_MIN, OccasionForm, ScaleForm, occasion_is_used


def _year_url(year: int) -> str:
    return reverse("occasion_list") + f"#ar-{year}"


def _initial_year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return date.today().year
    return year if YEAR_MIN <= year <= YEAR_MAX else date.today().year


@login_required
def occasion_create(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_occasions(request.user))
    data = request.POST if request.method == "POST" else None
    form = OccasionForm(data, initial={"year": _initial_year(request), "start_month": 1})
    if form.is_valid():
        occasion = form.save()
        messages.success(request, _("%(occasion)s har skapats.") % {"occasion": occasion})
        return redirect(_year_url(occasion.year))
    context = {"form": form, "cancel_url": reverse("occasion_list")}
    return render(request, "followup/occasion_form.html", context)


@login_required
def occasion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_occasions(request.user))
    occasion = get_object_or_404(FollowUpOccasion, pk=pk)
    if occasion.is_locked:
        messages.error(
            request,
            _("%(occasion)s är låst. Öppna det igen för att ändra.") % {"occasion": occasion},
        )
        return redirect("occasion_detail", pk=occasion.pk)
    form = OccasionForm(request.POST if request.method == "POST" else None, instance=occasion)
    if form.is_valid():
        form.save()
        messages.success(request, _("%(occasion)s har sparats.") % {"occasion": occasion})
        return redirect("occasion_detail", pk=occasion.pk)
    context = {
        "form": form,
        "occasion": occasion,
        "cancel_url": reverse("occasion_detail", args=[occasion.pk]),
    }
    return render(request, "followup/occasion_form.html", context)


def _why_not_deleted(occasion: FollowUpOccasion) -> str:
    if occasion.is_locked:
        return _("%(occasion)s är låst och kan inte tas bort.") % {"occasion": occasion}
    if occasion_is_used(occasion):
        return _(
            "%(occasion)s har bedömningar eller sammanfattande analyser och kan inte tas bort."
        ) % {"occasion": occasion}
    return ""


@login_required
def occasion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_occasions(request.user))
    occasion = get_object_or_404(FollowUpOccasion, pk=pk)
    refused = _why_not_deleted(occasion)
    if request.method == "POST":
        if not refused:
            try:
                with transaction.atomic():
                    occasion.delete()
            except ProtectedError:  # an assessment made since the check above
                refused = _why_not_deleted(occasion) or _("%(occasion)s används.") % {
                    "occasion": occasion
                }
        if refused:
            messages.error(request, refused)
            return redirect("occasion_detail", pk=occasion.pk)
        messages.success(request, _("%(occasion)s har tagits bort.") % {"occasion": occasion})
        return redirect(_year_url(occasion.year))
    context = {
        "occasion": occasion,
        "refused": refused,
        "cancel_url": reverse("occasion_detail", args=[occasion.pk]),
    }
    return render(request, "followup/occasion_delete.html", context)


@login_required
def assessment_scale(request: HttpRequest) -> HttpResponse:
    """The assessment scales and which one the municipality uses: what every reporter and
    administrator needs to know to read a suggestion. An administrator of the whole municipality
    chooses the scale here (stored in ``SiteSettings``; blank: ``ASSESSMENT_SCALE``)."""
    in_use = scales.get_scale()
    may_choose = access.can_manage_structure(request.user)
    form = None
    if request.method == "POST":
        access.require(may_choose)
        form = ScaleForm(request.POST, in_use=in_use.key)
        if form.is_valid():
            _choose_scale(request, form.cleaned_data["scale"], in_use)
            return redirect("assessment_scale")
    elif may_choose:
        form = ScaleForm(in_use=in_use.key)
    others = [scales.get_scale(key) for key in scales.SCALES if key != in_use.key]
    full, partly = scales.percent_bands()
    context = {"in_use": in_use, "others": others, "full": full, "partly": partly, "form": form}
    return render(request, "followup/assessment_scale.html", context)


def _choose_scale(request: HttpRequest, key: str, in_use: scales.Scale) -> None:
    if key == in_use.key:
        messages.info(request, _("Skalan är redan %(name)s.") % {"name": in_use.name})
        return
    row = SiteSettings.load()
    row.assessment_scale = key
    row.save(update_fields=["assessment_scale", "updated_at"])  # forgets the cached row
    chosen = scales.get_scale(key)
    messages.success(request, _("Bedömningsskalan är nu %(name)s.") % {"name": chosen.name})
