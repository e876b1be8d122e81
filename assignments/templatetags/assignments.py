"""Small includes that show assignments where a user looks for them: the goal chain, a unit's
page and a follow-up occasion's page. Each asks ``organisation.access`` what the viewer may see."""

from django import template
from django.utils import timezone

from organisation import access

from .. import rules
from ..models import Assignment

register = template.Library()


@register.inclusion_tag("assignments/_goal.html", takes_context=True)
def goal_assignments(context, goal):
    """The assignments that serve ``goal``, beside it in the goal chain."""
    user = context["request"].user
    found = list(
        Assignment.objects.filter(access.visible_assignments_q(user), goals=goal)
        .select_related("issuer")
        .order_by("deadline", "title")
    )
    return {"assignments": found}


@register.inclusion_tag("assignments/_unit.html", takes_context=True)
def unit_assignments(context, unit):
    """Links to the unit's lists: assignments it received and assignments it issued."""
    user = context["request"].user
    visible = Assignment.objects.filter(access.visible_assignments_q(user))
    return {
        "unit": unit,
        "received": visible.filter(receivers__unit=unit).distinct().count(),
        "issued": visible.filter(issuer=unit).count(),
    }


@register.inclusion_tag("assignments/_occasion.html", takes_context=True)
def occasion_assignments(context, occasion):
    """The receivers the viewer follows up at the occasion, with their status there."""
    user = context["request"].user
    units = access.visible_unit_ids(user)
    receivers = rules.receivers_at(occasion, units)
    reports = rules.reports_at([r.pk for r in receivers], occasion)
    today = timezone.localdate()
    rows = []
    for receiver in receivers:
        report = reports.get(receiver.pk)
        rows.append(
            {
                "receiver": receiver,
                "report": report,
                "status": rules.status_label(report.status if report else ""),
                "icon": rules.status_icon(report.status if report else ""),
                "overdue": rules.is_receiver_overdue(receiver, today),
                "may_report": not receiver.assignment.is_closed
                and access.can_report_assignment(user, receiver),
            }
        )
    return {"rows": rows, "occasion": occasion, "done": sum(1 for r in rows if r["report"])}
