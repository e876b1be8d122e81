"""Administration of what every scorecard shares: perspectives and goal programmes, and the
administration page that links every page an administrator of the whole municipality needs.

Only an administrator of the whole municipality changes these (``access.can_manage_structure``).
A perspective or programme in use is never deleted: goals and scorecards point at it, and the
page says so instead (a perspective can be made inactive).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organisation import access

from .models import GoalProgramme, Perspective
from .structure_forms import PerspectiveForm, ProgrammeForm


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    """Every administration page in one place, linked from the header menu."""
    access.require(access.can_manage_structure(request.user))
    return render(request, "scorecards/structure/administration.html")


# Perspectives ------------------------------------------------------------------------------------


@login_required
def perspective_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    perspectives = Perspective.objects.annotate(
        goal_count=Count("goals", distinct=True), card_count=Count("scorecard", distinct=True)
    )
    return render(
        request, "scorecards/structure/perspective_list.html", {"perspectives": perspectives}
    )


@login_required
def perspective_create(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    form = PerspectiveForm(_data(request))
    if form.is_valid():
        perspective = form.save()
        messages.success(request, _("Perspektivet %(name)s har skapats.") % {"name": perspective})
        return redirect("perspective_list")
    context = {"form": form, "cancel_url": reverse("perspective_list")}
    return render(request, "scorecards/structure/perspective_form.html", context)


@login_required
def perspective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    perspective = get_object_or_404(Perspective, pk=pk)
    form = PerspectiveForm(_data(request), instance=perspective)
    if form.is_valid():
        form.save()
        messages.success(request, _("Perspektivet %(name)s har sparats.") % {"name": perspective})
        return redirect("perspective_list")
    context = {"form": form, "perspective": perspective, "cancel_url": reverse("perspective_list")}
    return render(request, "scorecards/structure/perspective_form.html", context)


def _perspective_in_use(perspective: Perspective) -> str:
    goals = perspective.goals.count()
    cards = perspective.scorecard_set.count()
    if not goals and not cards:
        return ""
    return _(
        "%(name)s används av %(goals)s mål och %(cards)s styrkort och kan inte tas bort. "
        "Gör perspektivet inaktivt i stället, så kan det inte väljas i nya styrkort."
    ) % {"name": perspective, "goals": goals, "cards": cards}


@login_required
def perspective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    perspective = get_object_or_404(Perspective, pk=pk)
    in_use = _perspective_in_use(perspective)
    if request.method == "POST":
        if not in_use:
            in_use = _delete(perspective)
        if in_use:
            messages.error(request, in_use)
        else:
            messages.success(
                request, _("Perspektivet %(name)s har tagits bort.") % {"name": perspective}
            )
        return redirect("perspective_list")
    context = {
        "title": _("Ta bort perspektivet %(name)s") % {"name": perspective},
        "in_use": in_use,
        "cancel_url": reverse("perspective_list"),
    }
    return render(request, "scorecards/structure/confirm_delete.html", context)


def _delete(obj) -> str:
    """Delete ``obj``; a message instead when something made since the check still points at it."""
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        return _("%(name)s används och kan inte tas bort.") % {"name": obj}
    return ""


# Goal programmes ---------------------------------------------------------------------------------


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    form = ProgrammeForm(_data(request))
    if form.is_valid():
        programme = form.save()
        messages.success(request, _("Målprogrammet %(name)s har skapats.") % {"name": programme})
        return redirect(programme)
    context = {"form": form, "cancel_url": reverse("programme_list")}
    return render(request, "scorecards/structure/programme_form.html", context)


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    programme = get_object_or_404(GoalProgramme, pk=pk)
    form = ProgrammeForm(_data(request), instance=programme)
    if form.is_valid():
        form.save()
        messages.success(request, _("Målprogrammet %(name)s har sparats.") % {"name": programme})
        return redirect(programme)
    context = {"form": form, "programme": programme, "cancel_url": programme.get_absolute_url()}
    return render(request, "scorecards/structure/programme_form.html", context)


@login_required
def programme_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    programme = get_object_or_404(GoalProgramme, pk=pk)
    cards = programme.scorecards.count()
    in_use = ""
    if cards:
        in_use = _(
            "%(name)s har %(cards)s styrkort och kan inte tas bort. Styrkorten och deras beslut "
            "hänvisar till programmet."
        ) % {"name": programme, "cards": cards}
    if request.method == "POST":
        if not in_use:
            in_use = _delete(programme)
        if in_use:
            messages.error(request, in_use)
            return redirect(programme)
        messages.success(
            request, _("Målprogrammet %(name)s har tagits bort.") % {"name": programme}
        )
        return redirect("programme_list")
    context = {
        "title": _("Ta bort målprogrammet %(name)s") % {"name": programme},
        "in_use": in_use,
        "cancel_url": programme.get_absolute_url(),
    }
    return render(request, "scorecards/structure/confirm_delete.html", context)
