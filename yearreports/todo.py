""" "Att göra" for the year's reports: sections to write (reporters and editors of the unit) and
sections marked ready to approve (the unit's owner), one task per report, overdue first with the
rest of the landing (followup.todo). Registered in ``followup.todo.SOURCES`` by this app's
``ready()``: followup sits below the reports and does not import them."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followup.todo import Task
from organisation import access

from .models import Report, ReportState, SectionState


def report_tasks(user, today: date) -> list[Task]:
    mine = access.reportable_scorecards_q(user)  # the units the person reports on, and below
    if mine is None:
        return []
    reports = (
        Report.objects.filter(mine, state=ReportState.WRITING)
        .select_related("template", "occasion", "unit")
        .annotate(
            to_write=Count(
                "sections", filter=Q(sections__state=SectionState.DRAFT, sections__hidden=False)
            ),
            to_approve=Count(
                "sections", filter=Q(sections__state=SectionState.READY, sections__hidden=False)
            ),
        )
        .filter(Q(to_write__gt=0) | Q(to_approve__gt=0))
    )
    tasks = []
    for report in reports:
        where = f"{report.template.name} {report.occasion.year} – {report.unit.name}"
        if report.to_write and access.can_write_report(user, report):
            tasks.append(_task(report, where, _("Skriv rapportens avsnitt"), ngettext(
                "%(n)d avsnitt att skriva", "%(n)d avsnitt att skriva", report.to_write
            ) % {"n": report.to_write}))  # fmt: skip
        if report.to_approve and access.can_approve_report(user, report):
            tasks.append(_task(report, where, _("Godkänn rapportens avsnitt"), ngettext(
                "%(n)d avsnitt klart att godkänna", "%(n)d avsnitt klara att godkänna",
                report.to_approve,
            ) % {"n": report.to_approve}))  # fmt: skip
    return tasks


def _task(report: Report, where: str, title: str, detail: str) -> Task:
    return Task(
        title=title,
        where=where,
        detail=detail,
        url=report.get_absolute_url(),
        deadline=report.due,
        kind="report",
    )
