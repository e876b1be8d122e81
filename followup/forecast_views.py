"""The forecast page of a scorecard at an occasion: prognos helår per metric and the goals'
"bedömd måluppfyllelse vid årets slut", each saved on its own, without JavaScript."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisation import access
from scorecards.models import Scorecard

from . import locking, scales
from .comparison import kolada_comparison
from .entry import RowInput, scorecard_indicators
from .entry_views import _int_or_none
from .evaluation import FollowUpPoint
from .forecasts import (
    forecast_rollup,
    forecast_rollup_by_perspective,
    forecasts_save,
    goal_forecasts,
    save_forecast_assessment,
)
from .models import FollowUpOccasion


def scorecard_forecast(request: HttpRequest, pk: int, occasion_pk: int) -> HttpResponse:
    card = get_object_or_404(Scorecard.objects.select_related("unit"), pk=pk)
    access.require_visible(access.can_view_scorecard(request.user, card))
    occasion = get_object_or_404(FollowUpOccasion, pk=occasion_pk, year=card.year)
    can_report = access.can_report(request.user, card.unit)
    problem, posted_goal = "", None
    items = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access.require(can_report)
        if "goal" in request.POST:
            problem, posted_goal = _post_goal(request, card, occasion)
        else:
            items, problem = _post_metrics(request, card, occasion)
        if not problem:
            return redirect(request.path)
    return _render(request, card, occasion, can_report, items, problem, posted_goal)


def _goals(card):
    return card.goals.select_related("perspective", "scorecard").order_by(
        "perspective__order", "order", "pk"
    )


def _post_metrics(request, card, occasion):
    items = goal_forecasts(_goals(card), occasion)
    seen, inputs = set(), []
    for item in items:
        for row in item.rows:
            pk = row.indicator.pk
            if pk in seen or f"f-{pk}" not in request.POST:
                continue
            seen.add(pk)
            inputs.append(
                RowInput(
                    pk,
                    request.POST.get(f"f-{pk}", ""),
                    request.POST.get(f"fc-{pk}", ""),
                    _int_or_none(request.POST.get(f"fver-{pk}")),
                )
            )
    result = forecasts_save(
        unit=card.unit,
        year=occasion.year,
        month=occasion.end_month,
        inputs=inputs,
        user=request.user,
        allowed=scorecard_indicators(card),
    )
    if result.ok:
        messages.success(
            request,
            ngettext("%(n)d prognos sparad.", "%(n)d prognoser sparade.", result.changed)
            % {"n": result.changed},
        )
        return None, ""
    posted = {i.indicator_id: i for i in inputs}
    for item in items:
        for row in item.rows:
            row.error = result.errors.get(row.indicator.pk, "")
            if row.indicator.pk in posted:
                row.posted_value = posted[row.indicator.pk].value
                row.posted_comment = posted[row.indicator.pk].comment
    return items, _("Inget sparades. Rätta det som är markerat nedan.")


def _post_goal(request, card, occasion):
    goal_pk = _int_or_none(request.POST.get("goal"))
    goal = get_object_or_404(card.goals.select_related("scorecard__unit"), pk=goal_pk)
    status = request.POST.get("forecast_status", "")
    comment = request.POST.get("forecast", "")
    try:
        save_forecast_assessment(
            goal=goal,
            occasion=occasion,
            user=request.user,
            status=status,
            comment=comment,
            version=_int_or_none(request.POST.get("version")) or 0,
        )
    except ValidationError as error:
        return " ".join(error.messages), (goal.pk, status, comment)
    messages.success(request, _("Bedömningen vid årets slut är sparad."))
    return "", None


def _render(request, card, occasion, can_report, items, problem, posted_goal):
    scale = scales.get_scale()
    items = items if items is not None else goal_forecasts(_goals(card), occasion, scale)
    locked = locking.is_locked(occasion.year, occasion.end_month, card.unit)
    for item in items:
        item.posted = None
        if posted_goal and posted_goal[0] == item.goal.pk:
            item.posted, item.error = posted_goal[1:], problem
    comparisons: dict = {}
    for item in items:
        for row in item.rows:
            if row.indicator.kolada_kpi:
                if row.indicator.pk not in comparisons:
                    comparisons[row.indicator.pk] = kolada_comparison(row.indicator)
                row.comparison = comparisons[row.indicator.pk]
    by_perspective = forecast_rollup_by_perspective(items)
    perspectives = []
    for item in items:
        p = item.goal.perspective
        if not perspectives or perspectives[-1][0] != p:
            perspectives.append((p, by_perspective.get(p.pk), []))
        perspectives[-1][2].append(item)
    context = {
        "card": card,
        "unit": card.unit,
        "occasion": occasion,
        "covers": FollowUpPoint.at(occasion).label,
        "perspectives": perspectives,
        "rollup": forecast_rollup(items),
        "scale": scale,
        "editable": can_report and not locked,
        "locked": locked,
        "problem": problem if posted_goal is None else "",
        "followup_url": reverse("scorecard_followup", args=[card.pk, occasion.pk]),
    }
    return render(request, "followup/scorecard_forecast.html", context)
