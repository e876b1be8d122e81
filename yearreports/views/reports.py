"""Reports: the list, the per-occasion overview, sending a template out, a report's page,
completing it and its downloads."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from followup.models import FollowUpOccasion
from organisation import access

from .. import reminders, workflow
from ..build import document_of
from ..forms import CompleteForm, DistributeForm, OwnSectionForm
from ..models import Report, ReportSection, SectionState

__all__ = [
    "report_list", "occasion_reports", "distribute", "remind", "report_detail",
    "section_add", "complete", "report_docx", "report_pdf", "report_html",
]  # fmt: skip


def _visible(user):
    return Report.objects.filter(access.visible_reports_q(user)).select_related(
        "unit", "occasion", "template"
    )


def report_list(request: HttpRequest) -> HttpResponse:
    """Every report the visitor may read: the public ones (completed) and their units' drafts."""
    reports = _visible(request.user).order_by(
        "-occasion__year", "-occasion__end_month", "unit__name"
    )
    return render(request, "yearreports/report_list.html", {"reports": reports})


def _overview_rows(reports, today):
    sections = ReportSection.objects.filter(report__in=reports, hidden=False).order_by(
        "order", "pk"
    )
    counts: dict[int, Counter] = {r.pk: Counter() for r in reports}
    each: dict[int, list] = {r.pk: [] for r in reports}
    for section in sections:
        report_id, state, mandatory = section.report_id, section.state, section.mandatory
        each[report_id].append(section)
        counts[report_id][state] += 1
        if mandatory and state != SectionState.APPROVED:
            counts[report_id]["open"] += 1
    rows = []
    for report in reports:
        c = counts[report.pk]
        late = not report.is_completed and c["open"] > 0 and report.due < today
        rows.append({"report": report, "counts": c, "late": late, "sections": each[report.pk]})
    return rows


@login_required
def occasion_reports(request: HttpRequest, occasion_pk: int) -> HttpResponse:
    """Every unit's report at the occasion: state per section, deadline, who is late."""
    occasion = get_object_or_404(FollowUpOccasion, pk=occasion_pk)
    reports = list(_visible(request.user).filter(occasion=occasion).order_by("unit__name"))
    rows = _overview_rows(reports, timezone.localdate())
    context = {
        "occasion": occasion,
        "rows": rows,
        "late": [r for r in rows if r["late"]],
        "may_manage": access.can_manage_report_templates(request.user),
    }
    return render(request, "yearreports/occasion_reports.html", context)


@login_required
def distribute(request: HttpRequest, occasion_pk: int) -> HttpResponse:
    access.require(access.can_manage_report_templates(request.user))
    occasion = get_object_or_404(FollowUpOccasion, pk=occasion_pk)
    data = request.POST if request.method == "POST" else None
    form = DistributeForm(data, occasion=occasion)
    if form.is_valid():
        try:
            sent = workflow.distribute(
                form.cleaned_data["template"],
                occasion=occasion,
                kinds=form.cleaned_data["kinds"],
                deadline=form.cleaned_data["deadline"],
            )
        except workflow.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(created)s rapporter skapades (%(existing)s fanns redan).")
                % {"created": sent.created, "existing": sent.existing},
            )
            return redirect("yearreports:occasion_reports", occasion_pk=occasion.pk)
    context = {"form": form, "occasion": occasion}
    return render(request, "yearreports/distribute.html", context)


@require_POST
@login_required
def remind(request: HttpRequest, occasion_pk: int) -> HttpResponse:
    access.require(access.can_manage_report_templates(request.user))
    occasion = get_object_or_404(FollowUpOccasion, pk=occasion_pk)
    sent = reminders.send_section_reminders(occasion)
    messages.success(
        request,
        _("%(sent)s påminnelser skickades (%(failed)s misslyckades, %(none)s saknar e-postadress).")
        % {"sent": sent.sent, "failed": sent.failed, "none": sent.no_address},
    )
    return redirect("yearreports:occasion_reports", occasion_pk=occasion.pk)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.report_for(request.user, pk)
    user = request.user
    sections = list(report.sections.all())
    context = {
        "report": report,
        "document": document_of(report),
        "sections": sections,
        "may_write": access.can_write_report(user, report) and not report.is_completed,
        "may_approve": access.can_approve_report(user, report) and not report.is_completed,
        "may_complete": access.can_complete_report(user, report) and not report.is_completed,
        "unfinished": workflow.unfinished(report),
        "own_form": OwnSectionForm(),
        "complete_form": CompleteForm(initial={"date": timezone.localdate()}),
        "children": _children(report),
    }
    return render(request, "yearreports/report_detail.html", context)


def _children(report):
    return Report.objects.filter(occasion=report.occasion, unit__parent=report.unit).select_related(
        "unit"
    )


@login_required
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's owner adds a section of its own (optional, free text, last)."""
    report = access.report_for(request.user, pk, need=access.EDIT)
    form = OwnSectionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            workflow.add_own_section(report, request.user, **form.cleaned_data)
        except workflow.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Avsnittet har lagts till."))
            return redirect(report)
    context = {
        "form": form,
        "cancel_url": report.get_absolute_url(),
        "title": _("Nytt eget avsnitt"),
    }
    return render(request, "yearreports/form.html", context)


@login_required
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.report_for(request.user, pk, need=access.EDIT)
    form = CompleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            workflow.complete(
                report, request.user, decision=workflow.DecisionData(**form.cleaned_data)
            )
        except workflow.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Rapporten är fastställd."))
            return redirect(report)
    context = {"report": report, "form": form, "unfinished": workflow.unfinished(report)}
    return render(request, "yearreports/complete.html", context)


def _download(request, pk: int, kind: str) -> HttpResponse:
    """The Word or PDF file of the report's document (the frozen one once completed), as stored
    by the worker; when there is none for the current document, the worker is asked for it and a
    page waits for it (``reports.prepared``). Word goes through the municipality's own Word
    template when one is uploaded."""
    from reports import prepared

    from .. import files, tasks

    report = access.report_for(request.user, pk)
    download = prepared.Download(
        key=files.file_key(kind, document_of(report)),
        filename=slugify(f"{report.template.name}-{report.occasion.year}-{report.unit.code}")
        + f".{kind}",
        content_type=files.PDF if kind == "pdf" else files.DOCX,
        queue=lambda **job: tasks.report_file_task.enqueue(report_id=report.pk, kind=kind, **job),
        what=_("PDF:en") if kind == "pdf" else _("Word-filen"),
        back_url=report.get_absolute_url(),
    )
    return prepared.respond(request, download)


def report_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a web page of its own: for an adopted report, its public page."""
    from ..render import to_html

    report = access.report_for(request.user, pk)
    fragment = to_html(document_of(report))
    return render(
        request, "yearreports/document_page.html", {"report": report, "fragment": fragment}
    )


def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")
