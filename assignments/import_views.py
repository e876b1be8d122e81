"""Importing assignments from a spreadsheet: the editors of the issuing unit
(``access.can_manage_assignments``), through ``reports.register_import_views``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from organisation import access
from organisation.models import OrgUnit
from reports import register_import_views as steps

from . import imports
from .forms import AssignmentImportForm

SESSION_KEY = "assignment_import"


def _issuer(user, pk) -> OrgUnit:
    issuer = get_object_or_404(OrgUnit, pk=pk)
    access.require(access.can_manage_assignments(user, issuer))
    return issuer


def _describe(form) -> tuple[str, str]:
    units = ", ".join(u.name for u in form.cleaned_data["receivers"])
    deadline = form.cleaned_data.get("deadline")
    details = _("Mottagare: %(units)s") % {"units": units}
    if deadline:
        details += " · " + _("Ska vara klart %(date)s") % {"date": deadline.isoformat()}
    return form.cleaned_data["title"], details


def _importer(request: HttpRequest, form=None) -> steps.Importer:
    user = request.user

    def read(upload):
        return {"issuer": form.cleaned_data["issuer"].pk, "rows": imports.read_assignments(upload)}

    def plan(stored):
        return imports.assignments_plan(
            stored["rows"], issuer=_issuer(user, stored["issuer"]), user=user
        )

    def apply(stored):
        return imports.assignments_apply(
            stored["rows"], issuer=_issuer(user, stored["issuer"]), user=user
        )

    return steps.Importer(
        session_key=SESSION_KEY,
        heading=_("Importera uppdrag från Excel"),
        lead=_(
            "Läs in uppdrag från en Excel-fil: en rad per uppdrag med titel, text, beslut, "
            "mottagande enheter och sista dag."
        ),
        back_url=reverse("assignment_list"),
        back_label=_("Uppdrag"),
        start_url=reverse("assignment_import"),
        template_url=reverse("assignment_import_template"),
        preview_url=reverse("assignment_import_preview"),
        read=read,
        plan=plan,
        apply=apply,
        describe=_describe,
        done_message=_("%(count)s uppdrag är importerade."),
    )


@login_required
def assignment_import(request: HttpRequest) -> HttpResponse:
    access.require(access.editable_unit_ids(request.user) != set())
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = AssignmentImportForm(*data, prefix="fil", user=request.user)
    return steps.start(request, _importer(request, form), form)


@login_required
def assignment_import_template(request: HttpRequest) -> HttpResponse:
    access.require(access.editable_unit_ids(request.user) != set())
    return steps.template_response(imports.assignments_template(), "uppdrag-mall.xlsx")


@login_required
def assignment_import_preview(request: HttpRequest) -> HttpResponse:
    access.require(access.editable_unit_ids(request.user) != set())
    return steps.preview(request, _importer(request))
