"""Assignment pages: lists per issuer and receiver, one assignment, register/edit, report, close.

Every permission question goes to ``organisation.access``; every rule to ``assignments.rules``.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.assessments import StaleVersion
from followup.locking import PeriodLocked, occasion_locked_for
from followup.models import FollowUpOccasion
from organisation import access
from organisation.models import OrgUnit

from . import rules
from .forms import AssignmentForm, CloseForm, ReportForm
from .models import Assignment, AssignmentReceiver, AssignmentReport, AssignmentStatus

OVERDUE, NONE, CLOSED = "overdue", "none", "closed"


def _status_filters() -> list[tuple[str, str]]:
    return [
        ("", _("Alla")),
        (OVERDUE, _("Försenade")),
        (NONE, _("Ej rapporterat")),
        *AssignmentStatus.choices,
        (CLOSED, _("Avslutade uppdrag")),
    ]


def _unit(code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(code=code).first() if code else None


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def assignment_list(request: HttpRequest) -> HttpResponse:
    """One row per receiving unit: the issuer's list (?utfardare=), the receiver's (?mottagare=,
    the unit and the units below it), filtered by status and deadline."""
    today = timezone.localdate()
    issuer, receiver = (
        _unit(request.GET.get("utfardare", "")),
        _unit(request.GET.get("mottagare", "")),
    )
    chosen = request.GET.get("status", "")
    deadline_by = _parse_date(request.GET.get("frist", ""))
    rows = rules.with_latest(
        AssignmentReceiver.objects.filter(
            access.visible_assignments_q(request.user, "assignment__")
        )
    ).select_related("assignment__issuer", "unit")
    if issuer is not None:
        rows = rows.filter(assignment__issuer=issuer)
    if receiver is not None:
        below = OrgUnit.objects.descendants(receiver, include_self=True).values("pk")
        rows = rows.filter(unit_id__in=below)
    if chosen == OVERDUE:
        rows = rows.filter(rules.receiver_overdue_q(today))
    elif chosen == NONE:
        rows = rows.filter(latest_status__isnull=True, assignment__closed_on__isnull=True)
    elif chosen == CLOSED:
        rows = rows.filter(assignment__closed_on__isnull=False)
    elif chosen in AssignmentStatus.values:
        rows = rows.filter(latest_status=chosen)
    else:
        chosen = ""
    if deadline_by is not None:
        rows = rows.filter(assignment__deadline__lte=deadline_by)
    rows = list(rows.order_by("assignment__deadline", "assignment__title", "unit__name"))
    for row in rows:
        _decorate(row, today)
    context = {
        "rows": rows,
        "issuer": issuer,
        "receiver": receiver,
        "filters": _status_filters(),
        "chosen": chosen,
        "deadline_by": deadline_by,
        "units": OrgUnit.objects.active().order_by("name"),
        "may_register": bool(
            request.user.is_authenticated and access.editable_unit_ids(request.user) != set()
        ),
    }
    return render(request, "assignments/assignment_list.html", context)


def _decorate(receiver: AssignmentReceiver, today: date) -> None:
    """What a row shows: status text and icon, and the overdue flag (``rules``)."""
    receiver.status_text = rules.status_label(receiver.latest_status)
    receiver.status_icon = rules.status_icon(receiver.latest_status)
    receiver.is_overdue = rules.is_receiver_overdue(receiver, today)


def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.assignment_for(request.user, pk)
    today = timezone.localdate()
    receivers = list(
        rules.with_latest(assignment.receivers.select_related("unit")).prefetch_related(
            Prefetch(
                "reports",
                queryset=AssignmentReport.objects.select_related("occasion", "reported_by"),
            )
        )
    )
    years = _years(assignment, today)
    occasions = list(FollowUpOccasion.objects.filter(year__in=years, locked_at__isnull=True))
    for receiver in receivers:
        receiver.assignment = assignment
        _decorate(receiver, today)
        receiver.may_report = not assignment.is_closed and access.can_report_assignment(
            request.user, receiver
        )
        reported = {r.occasion_id for r in receiver.reports.all()}
        receiver.open_occasions = [
            o
            for o in occasions
            if receiver.may_report and not occasion_locked_for(o, receiver.unit)
        ]
        for o in receiver.open_occasions:
            o.has_report = o.pk in reported
    context = {
        "assignment": assignment,
        "receivers": receivers,
        "goals": assignment.goals.select_related("scorecard__unit"),
        "may_manage": access.can_manage_assignments(request.user, assignment.issuer),
        "may_read_history": access.may_read_history(request.user, assignment.issuer),
        "is_overdue": any(r.is_overdue for r in receivers),
    }
    return render(request, "assignments/assignment_detail.html", context)


def _years(assignment: Assignment, today: date) -> list[int]:
    first = assignment.decided_on.year if assignment.decided_on else today.year
    return list(range(min(first, today.year), today.year + 1))


@login_required
def assignment_create(request: HttpRequest) -> HttpResponse:
    access.require(access.editable_unit_ids(request.user) != set())
    initial = {}
    if issuer := _unit(request.GET.get("utfardare", "")):
        initial["issuer"] = issuer.pk
    form = AssignmentForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=initial
    )
    return _save_form(request, form, None)


@login_required
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.assignment_for(request.user, pk, need=access.EDIT)
    form = AssignmentForm(
        request.POST if request.method == "POST" else None, instance=assignment, user=request.user
    )
    return _save_form(request, form, assignment)


def _save_form(request, form: AssignmentForm, assignment: Assignment | None) -> HttpResponse:
    if form.is_valid():
        obj = form.save(commit=False)
        access.require(access.can_manage_assignments(request.user, obj.issuer))
        try:
            obj = rules.assignment_save(
                assignment=obj,
                user=request.user,
                receivers=form.cleaned_data["receivers"],
                goals=form.cleaned_data["goals"],
                version=form.cleaned_data.get("version") or 0,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Uppdraget ”%(title)s” har sparats.") % {"title": obj})
            return redirect(obj)
    context = {"form": form, "assignment": assignment}
    return render(request, "assignments/assignment_form.html", context)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def assignment_close(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.assignment_for(request.user, pk, need=access.EDIT)
    form = CloseForm(
        request.POST if request.method == "POST" else None,
        initial={"version": assignment.version},
    )
    if form.is_valid():
        try:
            if assignment.is_closed:
                rules.assignment_reopen(
                    assignment=assignment,
                    user=request.user,
                    version=form.cleaned_data["version"],
                )
                messages.success(request, _("Uppdraget är öppnat igen."))
            else:
                rules.assignment_close(
                    assignment=assignment,
                    user=request.user,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                )
                messages.success(request, _("Uppdraget är avslutat."))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(assignment)
    context = {"form": form, "assignment": assignment}
    return render(request, "assignments/assignment_close.html", context)


@login_required
def assignment_report(request: HttpRequest, pk: int, occasion: int) -> HttpResponse:
    """A receiving unit's status of the assignment at an occasion: its reporters report it."""
    receiver = access.assignment_receiver_for(request.user, pk)
    occasion = get_object_or_404(FollowUpOccasion, pk=occasion)
    current = AssignmentReport.objects.filter(receiver=receiver, occasion=occasion).first()
    initial = {"version": current.version if current else 0}
    if current:
        initial.update(status=current.status, comment=current.comment)
    form = ReportForm(request.POST if request.method == "POST" else None, initial=initial)
    locked = occasion_locked_for(occasion, receiver.unit)
    if form.is_valid():
        try:
            rules.report_save(
                receiver=receiver,
                occasion=occasion,
                user=request.user,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data.get("version") or 0,
            )
        except StaleVersion as error:
            form.add_error(None, error.messages[0])
            current = error.current
            form.data = form.data.copy()  # the next save claims the version now stored
            form.data["version"] = current.version if current else 0
        except (PeriodLocked, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Statusen har sparats."))
            return redirect(receiver.assignment)
    context = {
        "form": form,
        "receiver": receiver,
        "assignment": receiver.assignment,
        "occasion": occasion,
        "current": current,
        "locked": locked,
        "earlier": receiver.reports.select_related("occasion").exclude(occasion=occasion),
    }
    return render(request, "assignments/assignment_report.html", context)
