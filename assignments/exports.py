"""Assignments in the follow-up workbook, the reminders and the year reports' data blocks.

One row per receiving unit, as on the pages: the status at the occasion, its comment, and the
overdue flag from ``assignments.rules``."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.models import FollowUpOccasion
from followup.reminders import Missing
from organisation import access

from . import rules
from .models import Assignment, AssignmentReceiver


def _rows_at(occasion: FollowUpOccasion, receivers) -> list[tuple[AssignmentReceiver, object]]:
    receivers = list(receivers)
    reports = rules.reports_at([r.pk for r in receivers], occasion)
    return [(r, reports.get(r.pk)) for r in receivers]


def assignment_sheet(user, occasion: FollowUpOccasion) -> tuple[str, list[str], list[list]]:
    """The workbook's sheet "Uppdrag": the receivers the user may read at the occasion."""
    visible = Assignment.objects.filter(access.visible_assignments_q(user)).values("pk")
    receivers = rules.receivers_at(occasion).filter(assignment__in=visible)
    receivers = receivers.order_by("assignment__title", "unit__name")
    today = timezone.localdate()
    headers = [
        _("Uppdrag-id"), _("Uppdrag"), _("Beslut"), _("Utfärdare"), _("Mottagare"),
        _("Enhetskod"), _("Klart senast"), _("Status vid tillfället"), _("Kommentar"),
        _("Försenat"), _("Avslutat"),
    ]  # fmt: skip
    rows = []
    for receiver, report in _rows_at(occasion, receivers):
        a = receiver.assignment
        rows.append(
            [
                a.pk,
                a.title,
                a.decision_text,
                a.issuer.name,
                receiver.unit.name,
                receiver.unit.code,
                a.deadline.isoformat() if a.deadline else "",
                rules.status_label(report.status if report else ""),
                report.comment if report else "",
                _("Ja") if rules.is_receiver_overdue(receiver, today) else _("Nej"),
                a.closed_on.isoformat() if a.closed_on else "",
            ]
        )
    return _("Uppdrag"), headers, rows


def missing_at(occasion: FollowUpOccasion) -> list[Missing]:
    """For the reminders: per receiving unit, the decided open assignments it has not reported
    at the occasion."""
    receivers = rules.receivers_at(occasion).filter(
        assignment__decided_on__isnull=False, assignment__closed_on__isnull=True
    )
    by_unit: dict[int, Missing] = {}
    for receiver, report in _rows_at(occasion, receivers.order_by("assignment__title")):
        if report is not None:
            continue
        item = by_unit.setdefault(
            receiver.unit_id,
            Missing(
                receiver.unit_id,
                _("Uppdrag att rapportera – %(unit)s") % {"unit": receiver.unit.name},
                [],
                reverse("occasion_detail", args=[occasion.pk]),
            ),
        )
        item.lines.append(receiver.assignment.title)
    return list(by_unit.values())


def report_blocks(unit, occasion: FollowUpOccasion) -> list[dict]:
    """The year report's data block: the public assignments ``unit`` received or issued, with
    their status at the occasion, as one ``table`` block of ``yearreports.document``."""
    receivers = rules.receivers_at(occasion).filter(assignment__decided_on__isnull=False)
    receivers = receivers.filter(Q(unit=unit) | Q(assignment__issuer=unit)).order_by(
        "assignment__deadline", "assignment__title", "unit__name"
    )
    rows = []
    today = timezone.localdate()
    for receiver, report in _rows_at(occasion, receivers):
        a = receiver.assignment
        status = report.status if report else ""
        text = f"{rules.status_icon(status)} {rules.status_label(status)}"
        if rules.is_receiver_overdue(receiver, today):
            text += f" · {rules.OVERDUE_ICON} {_('Försenat')}"
        rows.append(
            [
                a.title,
                a.decision_text,
                receiver.unit.name,
                a.deadline.isoformat() if a.deadline else "–",
                text,
                report.comment if report else "",
            ]
        )
    if not rows:
        return []
    return [
        {"type": "heading", "text": _("Uppdrag"), "level": 2},
        {
            "type": "table",
            "caption": _("Uppdrag och deras status vid %(occasion)s") % {"occasion": occasion},
            "columns": [
                _("Uppdrag"), _("Beslut"), _("Mottagare"), _("Klart senast"), _("Status"),
                _("Kommentar"),
            ],
            "rows": rows,
            "numeric": [False] * 6,
        },
    ]  # fmt: skip
