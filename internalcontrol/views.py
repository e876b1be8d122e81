"""Internal control pages: plans, the risk register with its matrix, controls, adopting, results.

Every permission question goes to ``organisation.access``; every rule to ``internalcontrol.rules``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from followup.assessments import StaleVersion
from followup.locking import PeriodLocked, occasion_locked_for
from followup.models import FollowUpOccasion
from organisation import access

from . import rules
from .forms import AdoptForm, ControlForm, PlanEditForm, PlanForm, ResultForm, RiskForm
from .models import Control, ControlPlan, ControlResult, Risk


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = ControlPlan.objects.filter(access.visible_plans_q(request.user)).select_related("unit")
    context = {
        "plans": plans,
        "may_create": request.user.is_authenticated
        and access.editable_unit_ids(request.user) != set(),
    }
    return render(request, "internalcontrol/plan_list.html", context)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    access.require(access.editable_unit_ids(request.user) != set())
    form = PlanForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_valid():
        access.require(access.can_edit(request.user, form.cleaned_data["unit"]))
        plan = form.save(commit=False)
        plan._history_user = request.user
        plan.save()
        messages.success(request, _("Planen har skapats."))
        return redirect(plan)
    return render(request, "internalcontrol/form.html", {"form": form, "heading": _("Ny plan")})


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.control_plan_for(request.user, pk, need=access.EDIT)
    form = PlanEditForm(request.POST if request.method == "POST" else None, plan=plan)
    if form.is_valid():
        try:
            rules.plan_update(
                plan=plan, user=request.user, data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleVersion as error:
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Planen har sparats."))
            return redirect(plan)
    context = {"form": form, "plan": plan, "heading": _("Ändra planen")}
    return render(request, "internalcontrol/form.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.control_plan_for(request.user, pk)
    results = ControlResult.objects.select_related("occasion", "action")
    risks = list(
        plan.risks.prefetch_related(
            Prefetch("controls", Control.objects.prefetch_related(Prefetch("results", results)))
        )
    )
    for risk in risks:
        risk.level_key, risk.level_label = rules.level(plan, risk.probability, risk.consequence)
    rows = rules.matrix(plan, risks)
    may_report = access.can_report(request.user, plan.unit)
    occasions = [
        o
        for o in FollowUpOccasion.objects.filter(year=plan.year, locked_at__isnull=True)
        if may_report and not occasion_locked_for(o, plan.unit)
    ]
    title = _("Riskmatris %(plan)s: sannolikhet vågrätt, konsekvens lodrätt") % {"plan": plan}
    context = {
        "plan": plan,
        "risks": risks,
        "rows": rows,
        "svg": mark_safe(rules.matrix_svg(plan, rows, title=title)),  # noqa: S308 - escaped
        "probabilities": range(1, plan.probability_levels + 1),
        "may_edit": access.can_edit(request.user, plan.unit),
        "may_adopt": access.can_adopt_plan(request.user, plan),
        "occasions": occasions,
    }
    return render(request, "internalcontrol/plan_detail.html", context)


@login_required
def risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.control_plan_for(request.user, pk, need=access.EDIT)
    return _risk_form(request, plan, Risk(plan=plan))


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk)
    plan = access.control_plan_for(request.user, risk.plan_id, need=access.EDIT)
    return _risk_form(request, plan, risk)


def _risk_form(request, plan: ControlPlan, risk: Risk) -> HttpResponse:
    def check(data):
        rules.check_risk(plan, data["probability"], data["consequence"])

    return _item_form(
        request,
        plan,
        RiskForm,
        risk,
        heading=_("Risk"),
        saved=_("Risken har sparats."),
        check=check,
    )


@login_required
def control_create(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk)
    plan = access.control_plan_for(request.user, risk.plan_id, need=access.EDIT)
    return _control_form(request, plan, Control(risk=risk))


@login_required
def control_edit(request: HttpRequest, pk: int) -> HttpResponse:
    control = get_object_or_404(Control.objects.select_related("risk"), pk=pk)
    plan = access.control_plan_for(request.user, control.risk.plan_id, need=access.EDIT)
    return _control_form(request, plan, control)


def _control_form(request, plan: ControlPlan, control: Control) -> HttpResponse:
    return _item_form(
        request,
        plan,
        ControlForm,
        control,
        heading=_("Kontroll"),
        saved=_("Kontrollen har sparats."),
    )


def _item_form(request, plan: ControlPlan, form_class, item, *, heading, saved, check=None):
    """A risk's or a control's form: saved with its author in the history, after ``check``
    (the cleaned data; raises ``ValidationError``) has had the plan's rules' say."""
    form = form_class(request.POST if request.method == "POST" else None, instance=item)
    if form.is_valid():
        try:
            if check:
                check(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            item = form.save(commit=False)
            item._history_user = request.user
            item.save()
            messages.success(request, saved)
            return redirect(plan)
    context = {"form": form, "plan": plan, "heading": heading}
    return render(request, "internalcontrol/form.html", context)


@login_required
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.control_plan_for(request.user, pk)
    access.require(access.can_adopt_plan(request.user, plan))
    form = AdoptForm(
        request.POST if request.method == "POST" else None,
        initial={"version": plan.version, "decided_by": plan.unit.name},
    )
    if form.is_valid():
        try:
            rules.plan_adopt(
                plan=plan, user=request.user, data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Planen är fastställd."))
            return redirect(plan)
    context = {"form": form, "plan": plan, "heading": _("Fastställ planen")}
    return render(request, "internalcontrol/form.html", context)


@login_required
def control_result(request: HttpRequest, pk: int, occasion: int) -> HttpResponse:
    control = get_object_or_404(Control.objects.select_related("risk"), pk=pk)
    plan = access.control_plan_for(request.user, control.risk.plan_id, need=access.REPORT)
    occasion = get_object_or_404(FollowUpOccasion, pk=occasion)
    current = ControlResult.objects.filter(control=control, occasion=occasion).first()
    initial = {"version": current.version if current else 0}
    if current:
        initial.update(result=current.result, comment=current.comment)
    form = ResultForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            rules.result_save(
                control=control, occasion=occasion, user=request.user,
                result=form.cleaned_data["result"], comment=form.cleaned_data["comment"],
                version=form.cleaned_data.get("version") or 0,
            )  # fmt: skip
        except StaleVersion as error:
            form.add_error(None, error.messages[0])
        except (PeriodLocked, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Resultatet har sparats."))
            return redirect(plan)
    heading = _("Resultat: %(control)s – %(occasion)s") % {
        "control": control.title,
        "occasion": occasion,
    }
    context = {"form": form, "plan": plan, "heading": heading}
    return render(request, "internalcontrol/form.html", context)


@login_required
def risk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk.objects.select_related("plan"), pk=pk)
    plan = access.control_plan_for(request.user, risk.plan_id, need=access.EDIT)
    results = ControlResult.objects.filter(control__risk=risk)
    text = _("Risken och dess %(count)s kontroller tas bort.") % {"count": risk.controls.count()}
    return _confirm_delete(
        request, plan, rules.deletion_refusal(plan, results),
        delete=lambda: rules.risk_delete(risk=risk, user=request.user),
        heading=_("Ta bort risken %(title)s") % {"title": risk.title},
        text=text, done=_("Risken har tagits bort."),
    )  # fmt: skip


@login_required
def control_delete(request: HttpRequest, pk: int) -> HttpResponse:
    control = get_object_or_404(Control.objects.select_related("risk__plan"), pk=pk)
    plan = access.control_plan_for(request.user, control.risk.plan_id, need=access.EDIT)
    return _confirm_delete(
        request, plan, rules.deletion_refusal(plan, control.results.all()),
        delete=lambda: rules.control_delete(control=control, user=request.user),
        heading=_("Ta bort kontrollen %(title)s") % {"title": control.title},
        text=_("Kontrollen tas bort ur planen."), done=_("Kontrollen har tagits bort."),
    )  # fmt: skip


def _confirm_delete(request, plan, refusal: str, *, delete, heading, text, done) -> HttpResponse:
    """A confirmation page (GET) and the removal (POST); a refusal says why and changes nothing."""
    if request.method == "POST" and not refusal:
        try:
            delete()
        except ValidationError as error:
            refusal = error.messages[0]
        else:
            messages.success(request, done)
            return redirect(plan)
    context = {"plan": plan, "heading": heading, "text": text, "refusal": refusal}
    return render(
        request,
        "internalcontrol/confirm_delete.html",
        context,
        status=409 if refusal and request.method == "POST" else 200,
    )
