"""Who holds which role in a unit: its administrators give and remove roles here.

An administrator of a unit (or of a unit above it, or of the whole municipality) manages the roles
of that unit and every unit below it. Roles held in the units above apply here too (inheritance);
they are listed read-only, with a link to the unit where they can be changed if the viewer
administers that one too.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access
from .models import Role, RoleAssignment
from .roles import role_assign, role_remove


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class RoleForm(forms.Form):
    user = PersonChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        label=gettext_lazy("Person"),
    )
    # Lowest first, and preselected: giving too much must take a deliberate choice.
    role = forms.ChoiceField(
        choices=Role.choices[::-1], initial=Role.READER, label=gettext_lazy("Roll")
    )


@login_required
def role_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = access.administered_unit(request.user, code)
    form = RoleForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        if RoleAssignment.objects.filter(user=user, unit=unit, role=role).exists():
            messages.info(request, _("%(name)s har redan den rollen här.") % {"name": user})
        else:
            role_assign(user=user, unit=unit, role=role, by=request.user, request=request)
            messages.success(
                request,
                _("%(name)s är nu %(role)s i %(unit)s.")
                % {"name": user, "role": Role(role).label.lower(), "unit": unit.name},
            )
        return redirect("role_list", code=unit.code)
    ancestors = list(unit.ancestors())
    assignments = RoleAssignment.objects.select_related("user", "unit")
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "own": assignments.filter(unit=unit).order_by("role", "user__username"),
        "inherited": assignments.filter(unit__in=ancestors).order_by("unit__name", "role"),
        "administered": {a.pk for a in ancestors if access.can_administer(request.user, a)},
        "form": form,
    }
    return render(request, "organisation/role_list.html", context)


@require_POST
@login_required
def role_remove_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = access.administered_unit(request.user, code)
    assignments = RoleAssignment.objects.select_related("user", "unit")
    assignment = get_object_or_404(assignments, pk=pk, unit=unit)
    if not access.may_remove_role(request.user, assignment):
        messages.error(request, _("Den sista administratören kan inte ta bort sin egen roll."))
        return redirect("role_list", code=unit.code)
    role_remove(assignment=assignment, by=request.user, request=request)
    messages.success(
        request,
        _("%(name)s har inte längre rollen %(role)s i %(unit)s.")
        % {
            "name": assignment.user,
            "role": assignment.get_role_display().lower(),
            "unit": unit.name,
        },
    )
    return redirect("role_list", code=unit.code)
