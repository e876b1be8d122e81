"""Importing a control plan's risk register from a spreadsheet: the editors of the plan's unit
(``access.control_plan_for`` with EDIT), through ``reports.register_import_views``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from organisation import access
from reports import register_import_views as steps
from reports.forms import ImportForm

from . import imports, rules


def _describe(form) -> tuple[str, str]:
    risk = form.instance
    label = rules.level(risk.plan, risk.probability, risk.consequence)[1]
    details = _("%(process)s · sannolikhet %(p)s, konsekvens %(c)s (%(level)s)") % {
        "process": risk.process,
        "p": risk.probability,
        "c": risk.consequence,
        "level": label,
    }
    return risk.title, details


def _importer(plan, user) -> steps.Importer:
    return steps.Importer(
        session_key=f"risk_import_{plan.pk}",
        heading=_("Importera risker från Excel"),
        lead=_("Läs in risker till %(plan)s från en Excel-fil: en rad per risk.") % {"plan": plan},
        back_url=plan.get_absolute_url(),
        back_label=str(plan),
        start_url=reverse("control_plan_import", args=[plan.pk]),
        template_url=reverse("control_plan_import_template", args=[plan.pk]),
        preview_url=reverse("control_plan_import_preview", args=[plan.pk]),
        read=imports.read_risks,
        plan=lambda records: imports.risks_plan(records, plan=plan),
        apply=lambda records: imports.risks_apply(records, plan=plan, user=user),
        describe=_describe,
        done_message=_("%(count)s risker är importerade."),
    )


@login_required
def control_plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.control_plan_for(request.user, pk, need=access.EDIT)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ImportForm(*data, prefix="fil")
    return steps.start(request, _importer(plan, request.user), form)


@login_required
def control_plan_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.control_plan_for(request.user, pk, need=access.EDIT)
    name = f"risker-{plan.unit.code}-{plan.year}.xlsx"
    return steps.template_response(imports.risks_template(plan), name)


@login_required
def control_plan_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.control_plan_for(request.user, pk, need=access.EDIT)
    return steps.preview(request, _importer(plan, request.user))
