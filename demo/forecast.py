"""The demo's prognos helår: at 2026's delårsrapport every city goal has a forecast assessment,
and each of its metrics a forecast, entered through the same write path as a reporter's."""

from decimal import Decimal

from followup import scales
from followup.entry import RowInput
from followup.forecasts import forecasts_save, goal_forecasts
from followup.models import Assessment, FollowUpOccasion
from scorecards.models import Scorecard

# The goal whose owners judge the year's end one step better than the forecasts point to,
# with the comment the departure needs.
HOPEFUL_COMMENT = (
    "Prognoserna bygger på årets första åtta månader; åtgärderna som beslutades i våras väntas "
    "ge effekt under hösten."
)
NO_TARGET_COMMENT = (
    "Mätetalen följs utan målvärde; bedömningen bygger på utvecklingen hittills i år."
)
ONE_STEP_BETTER = {scales.NOT_MET: scales.CLOSE, scales.CLOSE: scales.MET}


def load(admin) -> None:
    """Forecasts and forecast assessments for the city's goals at 2026's delårsrapport.

    A metric's forecast is the suggestion, rounded to the indicator's decimals, with a comment
    naming the method; a load that finds forecasts already there changes nothing."""
    occasion = FollowUpOccasion.objects.filter(year=2026, end_month=8).first()
    card = Scorecard.objects.filter(unit__parent__isnull=True, year=2026).first()
    if occasion is None or card is None:
        return
    goals = card.goals.select_related("scorecard__unit", "perspective").order_by("pk")
    _metric_forecasts(card, occasion, goals, admin)
    scale = scales.get_scale()
    hopeful_done = False
    for item in goal_forecasts(goals, occasion, scale):
        suggested = item.suggested.value
        forecast, comment = suggested, "Bedömningen följer mätetalens prognoser."
        if suggested == scales.NOT_ASSESSED and scale.choice(scales.CLOSE):
            forecast, comment = scales.CLOSE, NO_TARGET_COMMENT
        if (
            not hopeful_done
            and suggested in ONE_STEP_BETTER
            and scale.choice(ONE_STEP_BETTER[suggested])
        ):
            forecast, comment, hopeful_done = ONE_STEP_BETTER[suggested], HOPEFUL_COMMENT, True
        _assessment(item.goal, occasion, forecast, comment, admin)


def _metric_forecasts(card, occasion, goals, admin) -> None:
    inputs, allowed = {}, {}
    for item in goal_forecasts(goals, occasion):
        for row in item.rows:
            if row.forecast is not None or row.suggestion is None:
                continue
            ind = row.indicator
            value = row.suggestion.value.quantize(Decimal(1).scaleb(-ind.decimals))
            comment = f"Enligt förslaget ({row.suggestion.label})."
            inputs[ind.pk] = RowInput(ind.pk, str(value), comment, 0)
            allowed[ind.pk] = ind
    if inputs:
        forecasts_save(
            unit=card.unit,
            year=occasion.year,
            month=occasion.end_month,
            inputs=list(inputs.values()),
            user=admin,
            allowed=allowed,
        )


def _assessment(goal, occasion, forecast_status: str, comment: str, admin) -> None:
    """The delårsrapport's assessment of the goal now (as suggested) and at the year's end."""
    from followup.assessments import suggestions_for

    existing = Assessment.objects.filter(goal=goal, occasion=occasion).first()
    if existing is not None and existing.forecast_status:
        return  # already given (by the demo or by someone trying it out)
    if existing is None:
        _result, suggested = suggestions_for([goal.pk], occasion)[goal.pk]
        existing = Assessment(
            goal=goal,
            occasion=occasion,
            status=suggested.value,
            suggested=suggested.value,
            analysis="Målet följs upp enligt plan; se mätetalen.",
            assessed_by=admin,
        )
    existing.forecast_status, existing.forecast = forecast_status, comment
    existing.save()
