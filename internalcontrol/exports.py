"""Internal control in the follow-up workbook, the reminders and the year reports' data blocks."""

from django.urls import reverse
from django.utils.translation import gettext as _

from followup.models import FollowUpOccasion
from followup.reminders import Missing
from organisation import access

from . import rules
from .models import Control, ControlResult


def _controls(q, occasion: FollowUpOccasion) -> list[tuple[Control, ControlResult | None]]:
    controls = list(
        Control.objects.filter(q, risk__plan__year=occasion.year)
        .select_related("risk__plan__unit")
        .order_by("risk__plan__unit__name", "risk__process", "pk")
    )
    results = {
        r.control_id: r
        for r in ControlResult.objects.filter(
            control__in=controls, occasion=occasion
        ).select_related("action")
    }
    return [(c, results.get(c.pk)) for c in controls]


def control_sheet(user, occasion: FollowUpOccasion) -> tuple[str, list[str], list[list]]:
    """The workbook's sheet "Internkontroll": the controls the user may read at the occasion."""
    headers = [
        _("Plan"), _("Process"), _("Risk"), _("Sannolikhet"), _("Konsekvens"), _("Risknivå"),
        _("Kontroll"), _("Ansvarig"), _("Resultat vid tillfället"), _("Kommentar"), _("Åtgärd:"),
    ]  # fmt: skip
    rows = []
    for control, result in _controls(access.visible_plans_q(user, "risk__plan__"), occasion):
        risk = control.risk
        rows.append(
            [
                str(risk.plan), risk.process, risk.title, risk.probability, risk.consequence,
                rules.level(risk.plan, risk.probability, risk.consequence)[1], control.title,
                control.owner, result.get_result_display() if result else _("Ej rapporterat"),
                result.comment if result else "",
                result.action.title if result and result.action else "",
            ]
        )  # fmt: skip
    return _("Internkontroll"), headers, rows


def missing_at(occasion: FollowUpOccasion) -> list[Missing]:
    """For the reminders: per plan unit, the controls without a result at the occasion."""
    from django.db.models import Q

    by_unit: dict[int, Missing] = {}
    for control, result in _controls(Q(risk__chosen=True), occasion):
        if result is not None:
            continue
        unit = control.risk.plan.unit
        item = by_unit.setdefault(
            unit.pk,
            Missing(
                unit.pk,
                _("Internkontroll att rapportera") + f" – {unit.name}",
                [],
                reverse("occasion_detail", args=[occasion.pk]),
            ),
        )
        item.lines.append(control.title)
    return list(by_unit.values())


def report_blocks(unit, occasion: FollowUpOccasion) -> list[dict]:
    """The year report's data block: the unit's controls and results at the occasion, one
    ``table`` block of ``yearreports.document`` (also for a plan that is not public: a report is
    the unit's own)."""
    from django.db.models import Q

    rows = []
    for control, result in _controls(Q(risk__plan__unit=unit), occasion):
        risk = control.risk
        text = _("Ej rapporterat")
        if result:
            icon = "⚠" if result.result == "deviation" else "✓"
            text = f"{icon} {result.get_result_display()}"
        rows.append(
            [
                risk.process, risk.title,
                rules.level(risk.plan, risk.probability, risk.consequence)[1], control.title,
                text, result.comment if result else "",
            ]
        )  # fmt: skip
    if not rows:
        return []
    return [
        {"type": "heading", "text": _("Internkontroll"), "level": 2},
        {
            "type": "table",
            "caption": _("Kontroller och deras resultat vid %(occasion)s") % {"occasion": occasion},
            "columns": [_("Process"), _("Risk"), _("Risknivå"), _("Kontroll"), _("Resultat"),
                        _("Kommentar")],
            "rows": rows,
            "numeric": [False] * 6,
        },
    ]  # fmt: skip
