"""The forecast roll-up along the goal chain ("bedömd måluppfyllelse vid årets slut"), as one
include on the chain page: the goals that contribute to a goal, counted by their forecast status
(the owners' forecast assessment first), at the latest occasion of the year that has forecasts."""

from django import template
from django.db.models import Q

from organisation import access
from scorecards.chain import contributor_depths
from scorecards.models import Goal

from ..forecasts import chain_forecast_rollup
from ..models import Assessment, FollowUpOccasion, Forecast

register = template.Library()


def latest_forecast_occasion(goal_ids, unit_ids, year: int) -> FollowUpOccasion | None:
    """The year's latest occasion at which a goal of the chain has a forecast assessment or a
    unit of the chain has a metric forecast."""
    months = Forecast.objects.filter(year=year, unit_id__in=unit_ids).values("month")
    assessed = (
        Assessment.objects.filter(goal_id__in=goal_ids, occasion__year=year)
        .exclude(forecast_status="")
        .values("occasion_id")
    )
    return (
        FollowUpOccasion.objects.filter(year=year)
        .filter(Q(end_month__in=months) | Q(pk__in=assessed))
        .order_by("-end_month", "-pk")
        .first()
    )


@register.inclusion_tag("followup/_chain_forecast.html", takes_context=True)
def chain_forecast(context, goal, below=None):
    """The chain's forecast roll-up at the latest occasion with forecasts; nothing without one.

    ``below``: the ids of the goals below ``goal`` the reader may see, where the page has them
    already (the chain page's cached levels); else the chain is read here."""
    user = context["request"].user
    year = goal.scorecard.year
    if below is None:
        below = contributor_depths([goal.pk]).get(goal.pk) or {}
    visible = access.visible_scorecards_q(user, prefix="scorecard__")
    goals = Goal.objects.filter(visible, pk__in=list(below), scorecard__year=year)
    units = goals.values("scorecard__unit_id")
    occasion = latest_forecast_occasion(goals.values("pk"), units, year) if below else None
    if occasion is None:
        return {"occasion": None}
    rollup = chain_forecast_rollup([goal.pk], occasion, within=visible)[goal.pk]
    return {"occasion": occasion, "rollup": rollup, "goal": goal}
