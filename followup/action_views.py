"""Improvement actions (aktiviteter/åtgärder) of a scorecard's goals, and a metric's trend.

Anyone who may see the scorecard reads its actions and trends; reporters and editors of its unit
(and of the units above it) create and edit actions. Hidden scorecards answer 404, like missing
ones. The trend page is where an action is started from a metric that is not met.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from organisation import access
from organisation.models import OrgUnit
from scorecards.models import Comparator, Goal, Metric, Target, YearValue

from .action_forms import ActionForm
from .actions import overdue_q, with_overdue
from .charts import PERIOD_MONTHS, ChartPoint, ChartTarget, period_label, trend_svg
from .comparison import kolada_comparison
from .evaluation import FollowUpPoint, judged_so_far, statuses_at, target_rule
from .forecasts import forecast_for_chart, latest_forecast
from .models import Action, ActionState, Measurement
from .status import Status, metric_status, period_value

OVERDUE = "overdue"


def action_list(request: HttpRequest, pk: int) -> HttpResponse:
    card = access.scorecard_for(request.user, pk, related=("unit",))
    all_actions = Action.objects.filter(goal__scorecard=card)
    counts = all_actions.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_q()),
        **{state.value: Count("pk", filter=Q(state=state)) for state in ActionState},
    )
    chosen = request.GET.get("status", "")
    actions = all_actions
    if chosen == OVERDUE:
        actions = actions.filter(overdue_q())
    elif chosen in ActionState.values:
        actions = actions.filter(state=chosen)
    else:
        chosen = ""
    actions = with_overdue(
        actions.select_related("goal", "strategy", "metric__indicator").order_by(
            F("due_date").asc(nulls_last=True), "pk"
        )
    )
    can_report = access.can_report(request.user, card.unit)
    filters = [("", _("Alla"), counts["total"]), (OVERDUE, _("Försenade"), counts["overdue"])]
    filters += [(s.value, s.label, counts[s.value]) for s in ActionState]
    context = {
        "card": card,
        "unit": card.unit,
        "ancestors": OrgUnit.objects.ancestors(card.unit),
        "actions": actions,
        "filters": filters,
        "chosen": chosen,
        "can_report": can_report,
        "goals": card.goals.order_by("perspective__order", "order", "pk") if can_report else [],
    }
    return render(request, "followup/action_list.html", context)


def _require_reporter(user, goal: Goal) -> None:
    access.require_visible(access.can_view_scorecard(user, goal.scorecard))
    access.require(access.can_report(user, goal.scorecard.unit))


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("scorecard__unit"), pk=pk)
    _require_reporter(request.user, goal)
    initial = {}
    metric_result = None
    if metric_id := request.GET.get("metric", ""):
        results = statuses_at([goal.pk], FollowUpPoint(goal.scorecard.year))[goal.pk].metrics
        metric_result = next((r for r in results if str(r.metric.pk) == metric_id), None)
        if metric_result is not None:
            initial["metric"] = metric_result.metric.pk
    form = ActionForm(
        request.POST if request.method == "POST" else None, goal=goal, initial=initial
    )
    if form.is_valid():
        action = form.save()
        messages.success(request, _("Aktiviteten ”%(title)s” har skapats.") % {"title": action})
        return redirect("action_list", goal.scorecard_id)
    return _render_form(request, form, goal, metric_result=metric_result)


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("goal__scorecard__unit"), pk=pk)
    goal = action.goal
    _require_reporter(request.user, goal)
    form = ActionForm(
        request.POST if request.method == "POST" else None, instance=action, goal=goal
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("Aktiviteten ”%(title)s” har sparats.") % {"title": action})
        return redirect("action_list", goal.scorecard_id)
    return _render_form(request, form, goal, action=action)


def _render_form(request, form, goal: Goal, *, action=None, metric_result=None) -> HttpResponse:
    context = {
        "form": form,
        "goal": goal,
        "card": goal.scorecard,
        "action": action,
        "metric_result": metric_result,
        "cancel_url": reverse("action_list", args=[goal.scorecard_id]),
    }
    return render(request, "followup/action_form.html", context)


TREND_YEARS = 5


@dataclass
class TrendRow:
    year: int
    month: int
    period: str
    value: Decimal
    compared: Decimal  # the year-to-date value that meets the target, as on the scorecard
    value_text: str
    compared_text: str
    target: Target | None
    status: Status


def metric_trend(request: HttpRequest, pk: int) -> HttpResponse:
    """A metric's values over the last five years with its targets: a chart and the same as a table."""
    metric = get_object_or_404(
        Metric.objects.select_related("indicator", "goal__scorecard__unit"), pk=pk
    )
    card, indicator = metric.goal.scorecard, metric.indicator
    access.require_visible(access.can_view_scorecard(request.user, card))
    years = (card.year - TREND_YEARS + 1, card.year)
    targets = {t.year: t for t in metric.targets.filter(year__range=years)}
    for target in targets.values():
        target.metric = metric  # its label reads the indicator
    period_months = PERIOD_MONTHS.get(indicator.frequency, 12)
    so_far: dict[int, list[Decimal]] = defaultdict(list)
    by_month: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = []
    for m in Measurement.objects.filter(
        indicator=indicator, unit=card.unit, year__range=years
    ).order_by("year", "month"):
        so_far[m.year].append(m.value)
        by_month[m.year][m.month] = m.value
        compared = period_value(so_far[m.year], indicator.year_value)
        target = targets.get(m.year)
        judged, _share = judged_so_far(target, indicator, m.month, by_month.get(m.year - 1))
        rows.append(
            TrendRow(
                year=m.year,
                month=m.month,
                period=period_label(m.year, m.month, period_months),
                value=m.value,
                compared=compared,
                value_text=indicator.format(m.value),
                compared_text=indicator.format(compared),
                target=target,
                status=metric_status(compared, target_rule(judged or target)),
            )
        )
    svg = trend_svg(
        title=_("Utfall över tid: %(name)s, %(unit)s")
        % {"name": indicator.name, "unit": card.unit.name},
        unit=indicator.unit,
        points=[ChartPoint(r.year, r.month, r.compared, r.status) for r in rows],
        targets=[
            ChartTarget(
                t.year,
                tuple(v for v in (t.value, t.value_high) if v is not None)
                if t.comparator == Comparator.RANGE
                else (t.value,),
                t.label,
            )
            for t in targets.values()
        ],
        period_months=period_months,
        decimals=indicator.decimals,
        direction=indicator.direction,
        chart_id=f"trend-{metric.pk}",
        forecast=forecast_for_chart(metric),
    )
    # As on the scorecard: the status of the scorecard's own year, not of an older value.
    latest = rows[-1].status if rows and rows[-1].year == card.year else Status.NO_VALUE
    can_report = access.can_report(request.user, card.unit)
    context = {
        "metric": metric,
        "indicator": indicator,
        "goal": metric.goal,
        "card": card,
        "svg": mark_safe(svg),  # noqa: S308 – trend_svg escapes every text it writes
        "rows": rows[::-1],
        "cumulative": indicator.year_value != YearValue.LAST,
        "years": years,
        "latest": latest,
        "can_report": can_report,
        "suggest_action": can_report and latest in (Status.NOT_MET, Status.CLOSE),
        "actions": with_overdue(metric.actions.all()),
        "comparison": kolada_comparison(indicator),
        "forecast": latest_forecast(metric),
    }
    return render(request, "followup/metric_trend.html", context)
