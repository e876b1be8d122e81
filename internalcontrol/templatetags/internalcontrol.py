"""Internal control where a user looks for it: the occasion page and a unit's page."""

from django import template

from followup.locking import occasion_locked_for
from organisation import access

from ..models import Control, ControlPlan, ControlResult

register = template.Library()


@register.inclusion_tag("internalcontrol/_occasion.html", takes_context=True)
def occasion_controls(context, occasion):
    """The controls of the occasion's year the viewer may read, with their result there."""
    user = context["request"].user
    controls = list(
        Control.objects.filter(
            access.visible_plans_q(user, "risk__plan__"), risk__plan__year=occasion.year
        ).select_related("risk__plan__unit")
    )
    results = {
        r.control_id: r
        for r in ControlResult.objects.filter(control__in=controls, occasion=occasion)
    }
    rows = []
    for control in controls:
        unit = control.risk.plan.unit
        rows.append(
            {
                "control": control,
                "result": results.get(control.pk),
                "may_report": access.can_report(user, unit)
                and not occasion_locked_for(occasion, unit),
            }
        )
    return {"rows": rows, "occasion": occasion}


@register.inclusion_tag("internalcontrol/_unit.html", takes_context=True)
def unit_control_plans(context, unit):
    user = context["request"].user
    plans = ControlPlan.objects.filter(access.visible_plans_q(user), unit=unit)
    return {"plans": plans}
