"""The rules of internal control, in one place.

* The risk matrix has ``probability_levels`` × ``consequence_levels`` cells (default 4 × 4). A
  risk sits in the cell (probability, consequence); its score is their product and its level one
  of four bands of the largest score: låg (≤ 25 %), medel (≤ 50 %), hög (≤ 75 %), mycket hög.
* A plan is adopted by an administrator of its unit with a decision (body and date).
* A control's result at an occasion is "utan anmärkning" or "med avvikelse"; a deviation needs a
  comment and creates an improvement action (``followup.Action``) on a goal of the unit's
  scorecard for the year, the first time it is reported. Results follow the occasion's lock and
  the version guard like assessments (``StaleVersion``, 409 in the API).
* Editors change a plan's public setting at any time and its matrix size until it is adopted.
  Risks and controls are removed only from a plan not yet adopted and without reported results.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup.assessments import StaleVersion
from followup.locking import PeriodLocked, occasion_locked_for
from followup.models import Action, FollowUpOccasion
from scorecards.models import Goal

from .models import Control, ControlPlan, ControlResult, ResultKind, Risk

BANDS = (
    (0.25, "low", gettext_lazy("Låg")),
    (0.5, "medium", gettext_lazy("Medel")),
    (0.75, "high", gettext_lazy("Hög")),
    (1.0, "very_high", gettext_lazy("Mycket hög")),
)


def level(plan: ControlPlan, probability: int, consequence: int) -> tuple[str, str]:
    """(key, label) of a cell's risk level, by its share of the matrix's largest score."""
    share = probability * consequence / (plan.probability_levels * plan.consequence_levels)
    for limit, key, label in BANDS:
        if share <= limit:
            return key, str(label)
    return BANDS[-1][1], str(BANDS[-1][2])


def check_risk(plan: ControlPlan, probability: int, consequence: int) -> None:
    errors = {}
    if not 1 <= probability <= plan.probability_levels:
        errors["probability"] = _("Välj en sannolikhet från 1 till %(n)s.") % {
            "n": plan.probability_levels
        }
    if not 1 <= consequence <= plan.consequence_levels:
        errors["consequence"] = _("Välj en konsekvens från 1 till %(n)s.") % {
            "n": plan.consequence_levels
        }
    if errors:
        raise ValidationError(errors)


@dataclass
class Cell:
    probability: int
    consequence: int
    level: str
    label: str
    risks: list[Risk]


def matrix(plan: ControlPlan, risks) -> list[list[Cell]]:
    """The matrix's rows, highest consequence first; each row's cells by rising probability."""
    placed: dict[tuple[int, int], list[Risk]] = {}
    for risk in risks:
        placed.setdefault((risk.probability, risk.consequence), []).append(risk)
    rows = []
    for c in range(plan.consequence_levels, 0, -1):
        rows.append(
            [
                Cell(p, c, *level(plan, p, c), placed.get((p, c), []))
                for p in range(1, plan.probability_levels + 1)
            ]
        )
    return rows


COLOURS = {"low": "#e3f1e3", "medium": "#fff4c2", "high": "#ffd9b3", "very_high": "#f7c4c4"}


def matrix_svg(plan: ControlPlan, rows: list[list[Cell]], *, title: str) -> str:
    """The matrix as an SVG beside its table: each cell's level as a word, its risks as a count;
    the table says the same in text, so colour is never the only carrier."""
    from django.utils.html import escape

    size, pad = 64, 40
    width = pad + size * plan.probability_levels
    height = size * plan.consequence_levels + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="matris-titel" class="risk-matrix-svg" width="{width}" height="{height}">',
        f'<title id="matris-titel">{escape(title)}</title>',
    ]
    for r, row in enumerate(rows):
        for i, cell in enumerate(row):
            x, y = pad + i * size, r * size
            parts.append(
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" '
                f'fill="{COLOURS[cell.level]}" stroke="#333"/>'
            )
            if cell.risks:
                parts.append(
                    f'<text x="{x + size / 2}" y="{y + size / 2 + 6}" text-anchor="middle" '
                    f'font-size="18" font-weight="bold">{len(cell.risks)}</text>'
                )
        parts.append(
            f'<text x="{pad - 8}" y="{r * size + size / 2 + 5}" text-anchor="end" '
            f'font-size="14">{row[0].consequence}</text>'
        )
    for i in range(plan.probability_levels):
        parts.append(
            f'<text x="{pad + i * size + size / 2}" y="{height - 14}" text-anchor="middle" '
            f'font-size="14">{i + 1}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- writing --------------------------------------------------------------------------------


@transaction.atomic
def plan_adopt(*, plan: ControlPlan, user, data: dict, version: int) -> ControlPlan:
    """Adopt the plan with a decision (body and date); ``version`` guards lost updates."""
    if not (data.get("decided_by") or "").strip() or not data.get("decided_on"):
        raise ValidationError(
            {"decided_on": _("En plan fastställs med ett beslut: ange organ och datum.")}
        )
    if not ControlPlan.objects.filter(pk=plan.pk, version=version).update(version=version + 1):
        raise StaleVersion(_("Någon annan har ändrat planen under tiden. Inget har sparats."))
    fresh = ControlPlan.objects.get(pk=plan.pk)
    for name in ("decided_by", "decided_on", "paragraph", "diary_number"):
        value = data.get(name)
        if name != "decided_on":
            value = (value or "").strip()
        setattr(fresh, name, value)
    fresh._history_user = user
    fresh.save()
    return fresh


def _action_goal(plan: ControlPlan) -> Goal:
    goal = (
        Goal.objects.filter(scorecard__unit=plan.unit, scorecard__year=plan.year)
        .order_by("perspective__order", "order", "pk")
        .first()
    )
    if goal is None:
        raise ValidationError(
            {
                "result": _(
                    "%(unit)s har inget styrkort med mål för %(year)s, så avvikelsens åtgärd kan "
                    "inte skapas. Skapa styrkortet först."
                )
                % {"unit": plan.unit, "year": plan.year}
            }
        )
    return goal


def _deviation_action(control: Control, occasion: FollowUpOccasion, comment: str, user) -> Action:
    plan = control.risk.plan
    action = Action(
        goal=_action_goal(plan),
        title=(_("Åtgärd efter avvikelse: %(control)s") % {"control": control.title})[:300],
        description=_("Internkontroll %(plan)s, %(occasion)s: %(comment)s")
        % {"plan": plan, "occasion": occasion, "comment": comment},
        owner=control.owner,
    )
    action._history_user = user
    action.save()
    return action


def result_save(
    *, control: Control, occasion: FollowUpOccasion, user, result: str, comment: str, version: int
) -> ControlResult:
    """Save the control's result at the occasion; a deviation creates its action once."""
    comment = (comment or "").strip()
    if result not in ResultKind.values:
        raise ValidationError({"result": _("Välj ett resultat.")})
    if result == ResultKind.DEVIATION and not comment:
        raise ValidationError({"comment": _("Beskriv avvikelsen i kommentaren.")})
    unit = control.risk.plan.unit
    if occasion_locked_for(occasion, unit):
        raise PeriodLocked(
            _("%(occasion)s är låst eftersom rapporten är fastställd. Inget har sparats.")
            % {"occasion": occasion}
        )
    current = ControlResult.objects.filter(control=control, occasion=occasion)
    stale = _("Någon annan har sparat resultatet under tiden. Inget har sparats.")
    with transaction.atomic():
        if not version:
            if current.exists():
                raise StaleVersion(stale, current=current.first())
            saved = ControlResult(control=control, occasion=occasion, version=1)
        else:
            if not current.filter(version=version).update(version=version + 1):
                raise StaleVersion(stale, current=current.first())
            saved = current.get()
        saved.result, saved.comment, saved.reported_by = result, comment, user
        if result == ResultKind.DEVIATION and saved.action_id is None:
            saved.action = _deviation_action(control, occasion, comment, user)
        saved._history_user = user
        try:
            with transaction.atomic():
                saved.save()
        except IntegrityError:
            raise StaleVersion(stale, current=current.first()) from None
        return saved


# --- editing the plan, removing risks and controls -------------------------------------------


def plan_update(*, plan: ControlPlan, user, data: dict, version: int) -> ControlPlan:
    """Change the plan's public setting and, until it is adopted, its matrix size.

    An adopted plan's matrix is part of the decision, so its size stays; a smaller matrix must
    still hold every risk of the register."""
    levels = {name: data.get(name) for name in ("probability_levels", "consequence_levels")}
    if plan.is_adopted:
        if any(value != getattr(plan, name) for name, value in levels.items()):
            raise ValidationError(
                _("Planen är fastställd, så riskmatrisens storlek kan inte ändras längre.")
            )
    else:
        _check_matrix_holds_risks(plan, **levels)
    with transaction.atomic():
        if not ControlPlan.objects.filter(pk=plan.pk, version=version).update(version=version + 1):
            raise StaleVersion(_("Någon annan har ändrat planen under tiden. Inget har sparats."))
        fresh = ControlPlan.objects.get(pk=plan.pk)
        fresh.is_public = bool(data.get("is_public"))
        if not plan.is_adopted:
            fresh.probability_levels = levels["probability_levels"]
            fresh.consequence_levels = levels["consequence_levels"]
        fresh._history_user = user
        fresh.save()
        return fresh


def _check_matrix_holds_risks(
    plan: ControlPlan, probability_levels: int, consequence_levels: int
) -> None:
    outside = plan.risks.filter(probability__gt=probability_levels) | plan.risks.filter(
        consequence__gt=consequence_levels
    )
    count = outside.distinct().count()
    if count:
        raise ValidationError(
            _(
                "%(count)s risker hamnar utanför en matris med %(p)s × %(c)s nivåer. Ändra "
                "riskerna först eller välj en större matris."
            )
            % {"count": count, "p": probability_levels, "c": consequence_levels}
        )


def deletion_refusal(plan: ControlPlan, results) -> str:
    """Why a risk or control may not be removed ('' when it may): an adopted plan is a decision,
    and a reported result is part of the follow-up the auditors read."""
    if plan.is_adopted:
        return _("Planen är fastställd, så dess risker och kontroller kan inte tas bort.")
    if results.exists():
        return _("Det finns rapporterade resultat, så den kan inte tas bort.")
    return ""


def risk_delete(*, risk: Risk, user) -> None:
    refusal = deletion_refusal(risk.plan, ControlResult.objects.filter(control__risk=risk))
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        for control in risk.controls.all():
            control._history_user = user
            control.delete()
        risk._history_user = user
        risk.delete()


def control_delete(*, control: Control, user) -> None:
    refusal = deletion_refusal(control.risk.plan, control.results.all())
    if refusal:
        raise ValidationError(refusal)
    control._history_user = user
    control.delete()
