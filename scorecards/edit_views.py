"""The editing forms: scorecards, goals, the goal chain, strategies, indicators, metrics, targets.

Every view asks ``organisation.access``: objects in a scorecard the user cannot see answer 404,
a visible scorecard the user may not change answers 403. Adopted scorecards stay editable (cities
revise them during the year), but each change asks why and is marked "ändrat efter beslut"
(``scorecards.adoption``); adopting keeps the version that was decided.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from organisation import access
from organisation.models import OrgUnit

from . import adoption, services
from .forms import (
    YEAR_MAX,
    YEAR_MIN,
    ChangeReasonForm,
    GoalForm,
    GoalLinksForm,
    IndicatorForm,
    MetricForm,
    ScorecardAdoptForm,
    ScorecardCopyForm,
    ScorecardCreateForm,
    ScorecardForm,
    StrategyForm,
    TargetForm,
)
from .models import Goal, Indicator, Metric, Scorecard, ScorecardStatus, Strategy, Target

# Fetching objects for this user ------------------------------------------------------------


def _require_edit(user, card: Scorecard) -> None:
    access.require_visible(access.can_view_scorecard(user, card))
    access.require(access.can_edit(user, card.unit))


def _card_for_editing(request: HttpRequest, pk: int) -> Scorecard:
    return access.scorecard_for(request.user, pk, need=access.EDIT)


def _goal_for_editing(request: HttpRequest, pk: int) -> Goal:
    goal = get_object_or_404(
        Goal.objects.select_related("scorecard__unit", "scorecard__programme", "perspective"),
        pk=pk,
    )
    _require_edit(request.user, goal.scorecard)
    return goal


def _strategy_for_editing(request: HttpRequest, pk: int) -> Strategy:
    strategy = get_object_or_404(
        Strategy.objects.select_related("goal__scorecard__unit", "goal__perspective"), pk=pk
    )
    _require_edit(request.user, strategy.goal.scorecard)
    return strategy


def _metric_for_editing(request: HttpRequest, pk: int) -> Metric:
    metric = get_object_or_404(
        Metric.objects.select_related("goal__scorecard__unit", "goal__perspective", "indicator"),
        pk=pk,
    )
    _require_edit(request.user, metric.goal.scorecard)
    return metric


# Small helpers ----------------------------------------------------------------------------------


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _page(card: Scorecard, **extra) -> dict:
    """The context every page inside a scorecard needs: breadcrumbs, decision notice, cancel."""
    return {
        "card": card,
        "unit": card.unit,
        "ancestors": list(OrgUnit.objects.ancestors(card.unit)),
        "cancel_url": card.get_absolute_url(),
        **extra,
    }


def _goal_url(goal: Goal) -> str:
    return f"{reverse('scorecard_detail', args=[goal.scorecard_id])}#mal-{goal.pk}"


def _year(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _next_order(queryset) -> int:
    return max(queryset.values_list("order", flat=True), default=0) + 1


def _saved(request, form, card: Scorecard, *, kind: str, label, goal=None, always=False):
    """Saves a model form; on an adopted scorecard, marks the change with the form's reason.

    ``label`` names what changed (called after saving); ``always`` marks a creation even when
    no field differs from its initial value."""
    with transaction.atomic():
        obj = form.save(commit=False)
        adoption.with_history_reason(obj, form.change_reason)
        obj.save()
        form.save_m2m()
        fields = form.changed_labels
        if always or fields:
            what = label(obj) + (f" ({', '.join(fields)})" if fields and not always else "")
            _mark(request, card, form, kind=kind, obj=obj, goal=goal, what=what)
    return obj


def _mark(request, card: Scorecard, form, *, kind: str, obj, goal, what: str) -> None:
    adoption.record_change(
        card, request.user, form.change_reason, kind=kind, obj=obj, goal=goal, what=what
    )


# Scorecards -------------------------------------------------------------------------------------


@login_required
def scorecard_create(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's scorecard for a year, built from its parent unit's scorecard of that year.

    "Visa mål för året" re-renders the form with the parent goals of the year typed in, so the
    page works without JavaScript.
    """
    unit = get_object_or_404(OrgUnit, code=code)
    access.require(access.can_edit(request.user, unit))
    if not unit.is_active:
        messages.error(
            request, _("%(unit)s är avvecklad och får inga nya styrkort.") % {"unit": unit.name}
        )
        return redirect(unit)
    source = request.POST if request.method == "POST" else request.GET
    year = _year(source.get("year"), default=date.today().year)
    parent = services.parent_scorecard(unit, year)
    offered = parent if parent and access.can_view_scorecard(request.user, parent) else None
    refresh = request.method == "POST" and "refresh" in request.POST
    data = None if refresh else _data(request)
    form = ScorecardCreateForm(data, parent=offered, initial={"year": year})
    if form.is_valid():
        try:
            card = services.scorecard_create_from_parent(
                unit=unit,
                year=form.cleaned_data["year"],
                take_over=form.cleaned_data.get("take_over", []),
            )
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request,
                _("Styrkortet för %(year)s har skapats som utkast.") % {"year": card.year},
            )
            return redirect(card)
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "parent": parent,
        "parent_hidden": parent is not None and offered is None,
        "ancestors": list(unit.ancestors()),
        "cancel_url": unit.get_absolute_url(),
    }
    return render(request, "scorecards/edit/scorecard_create.html", context)


@login_required
def scorecard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_editing(request, pk)
    form = ScorecardForm(_data(request), instance=card, reason_for=card)
    if form.is_valid():
        _saved(
            request, form, card, kind="scorecard", label=lambda c: adoption.describe("scorecard", c)
        )
        messages.success(request, _("Styrkortet har sparats."))
        return redirect(card)
    return render(request, "scorecards/edit/scorecard_form.html", _page(card, form=form))


@login_required
def scorecard_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the decision and mark the scorecard adopted; an adopted one can get a new decision."""
    card = _card_for_editing(request, pk)
    if card.status == ScorecardStatus.ARCHIVED:
        messages.error(request, _("Ett arkiverat styrkort kan inte fastställas."))
        return redirect(card)
    form = ScorecardAdoptForm(_data(request), instance=card)
    if form.is_valid():
        with transaction.atomic():
            card = form.save(commit=False)
            card.status = ScorecardStatus.ADOPTED
            card.save()
            version = adoption.record_adoption(card, request.user)
        messages.success(
            request,
            _("Styrkortet är fastställt (version %(number)s).") % {"number": version.number},
        )
        return redirect(card)
    return render(request, "scorecards/edit/scorecard_adopt.html", _page(card, form=form))


@login_required
def scorecard_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Only adopted scorecards are archived: archiving a draft would publish it."""
    card = _card_for_editing(request, pk)
    if card.status != ScorecardStatus.ADOPTED:
        messages.error(request, _("Bara ett fastställt styrkort kan arkiveras."))
        return redirect(card)
    if request.method == "POST":
        card.status = ScorecardStatus.ARCHIVED
        card.save(update_fields=["status"])
        messages.success(request, _("Styrkortet är arkiverat."))
        return redirect(card)
    context = _page(
        card,
        title=_("Arkivera styrkortet %(year)s för %(unit)s")
        % {"year": card.year, "unit": card.unit},
        text=_("Ett arkiverat styrkort finns kvar och är fortfarande öppet att läsa."),
        submit=_("Arkivera"),
    )
    return render(request, "scorecards/edit/confirm.html", context)


@login_required
def scorecard_copy(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_editing(request, pk)
    form = ScorecardCopyForm(_data(request), initial={"year": card.year + 1})
    if form.is_valid():
        try:
            copy = services.scorecard_copy_to_year(scorecard=card, year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request,
                _("Styrkortet har kopierats till %(year)s som utkast.") % {"year": copy.year},
            )
            return redirect(copy)
    return render(request, "scorecards/edit/scorecard_copy.html", _page(card, form=form))


# Goals and the goal chain -----------------------------------------------------------------------


@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card_for_editing(request, pk)
    form = GoalForm(
        _data(request),
        instance=Goal(scorecard=card),
        initial={"order": _next_order(card.goals)},
        reason_for=card,
    )
    if form.is_valid():
        goal = form.instance
        _saved(
            request,
            form,
            card,
            kind="goal",
            goal=goal,
            always=True,
            label=lambda g: _("Nytt mål: %(name)s") % {"name": g.title},
        )
        messages.success(request, _("Målet har lagts till."))
        return redirect(_goal_url(goal))
    return render(request, "scorecards/edit/goal_form.html", _page(card, form=form))


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal_for_editing(request, pk)
    form = GoalForm(_data(request), instance=goal, reason_for=goal.scorecard)
    if form.is_valid():
        _saved(
            request,
            form,
            goal.scorecard,
            kind="goal",
            goal=goal,
            label=lambda g: adoption.describe("goal", g),
        )
        messages.success(request, _("Målet har sparats."))
        return redirect(_goal_url(goal))
    context = _page(goal.scorecard, form=form, goal=goal, cancel_url=_goal_url(goal))
    return render(request, "scorecards/edit/goal_form.html", context)


@login_required
def goal_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the goals of ancestor units (same year) this goal contributes to.

    Only the offered links change: a link the user cannot see, or one left from an earlier
    organisation, stays as it is.
    """
    goal = _goal_for_editing(request, pk)
    card = goal.scorecard
    ancestors = list(OrgUnit.objects.ancestors(card.unit))
    nearest_first = {unit.pk: -i for i, unit in enumerate(ancestors)}
    candidates = sorted(
        Goal.objects.filter(scorecard__unit__in=ancestors, scorecard__year=card.year)
        .filter(access.visible_scorecards_q(request.user, prefix="scorecard__"))
        .select_related("scorecard__unit", "perspective"),
        key=lambda g: (nearest_first[g.scorecard.unit_id], g.perspective.order, g.order, g.pk),
    )
    offered = {g.pk for g in candidates}
    current = set(goal.contributes_to.values_list("pk", flat=True))
    form = GoalLinksForm(
        _data(request),
        goal=goal,
        candidates=candidates,
        user=request.user,
        initial={"contributes_to": sorted(current & offered)},
        reason_for=card,
    )
    if form.is_valid():
        chosen = {g.pk for g in form.cleaned_data["contributes_to"]}
        with transaction.atomic():
            goal.contributes_to.remove(*((current & offered) - chosen))
            goal.contributes_to.add(*(chosen - current))
            if chosen != current & offered:
                what = adoption.describe("links", goal)
                _mark(request, card, form, kind="links", obj=goal, goal=goal, what=what)
        messages.success(request, _("Målkedjan har sparats."))
        return redirect(_goal_url(goal))
    context = _page(card, form=form, goal=goal, candidates=candidates, cancel_url=_goal_url(goal))
    return render(request, "scorecards/edit/goal_links.html", context)


# Strategies -------------------------------------------------------------------------------------


@login_required
def strategy_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _goal_for_editing(request, pk)
    form = StrategyForm(
        _data(request),
        instance=Strategy(goal=goal),
        initial={"order": _next_order(goal.strategies)},
        reason_for=goal.scorecard,
    )
    if form.is_valid():
        _saved(
            request,
            form,
            goal.scorecard,
            kind="strategy",
            goal=goal,
            always=True,
            label=lambda s: _("Ny strategi: %(name)s") % {"name": s},
        )
        messages.success(request, _("Strategin har lagts till."))
        return redirect(_goal_url(goal))
    context = _page(goal.scorecard, form=form, goal=goal, cancel_url=_goal_url(goal))
    return render(request, "scorecards/edit/strategy_form.html", context)


@login_required
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy_for_editing(request, pk)
    goal = strategy.goal
    form = StrategyForm(_data(request), instance=strategy, reason_for=goal.scorecard)
    if form.is_valid():
        _saved(
            request,
            form,
            goal.scorecard,
            kind="strategy",
            goal=goal,
            label=lambda s: adoption.describe("strategy", s),
        )
        messages.success(request, _("Strategin har sparats."))
        return redirect(_goal_url(goal))
    context = _page(
        goal.scorecard, form=form, goal=goal, strategy=strategy, cancel_url=_goal_url(goal)
    )
    return render(request, "scorecards/edit/strategy_form.html", context)


@login_required
def strategy_delete(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = _strategy_for_editing(request, pk)
    goal = strategy.goal
    form = ChangeReasonForm(_data(request), reason_for=goal.scorecard)
    if form.is_valid():
        with transaction.atomic():
            what = _("Borttagen strategi: %(name)s") % {"name": strategy}
            _mark(
                request, goal.scorecard, form, kind="strategy", obj=strategy, goal=goal, what=what
            )
            adoption.with_history_reason(strategy, form.change_reason).delete()
        messages.success(request, _("Strategin har tagits bort."))
        return redirect(_goal_url(goal))
    context = _page(
        goal.scorecard,
        form=form,
        title=_("Ta bort strategin"),
        text=strategy.text,
        submit=_("Ta bort"),
        cancel_url=_goal_url(goal),
    )
    return render(request, "scorecards/edit/confirm.html", context)


# Indicators -------------------------------------------------------------------------------------


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    access.require(access.can_define_indicators(request.user))
    form = IndicatorForm(_data(request))
    if form.is_valid():
        indicator = form.save()
        messages.success(request, _("Mätetalet %(name)s har skapats.") % {"name": indicator.name})
        return redirect(_next_url(request) or indicator.get_absolute_url())
    context = {"form": form, "next": _next_url(request), "cancel_url": reverse("indicator_list")}
    return render(request, "scorecards/edit/indicator_form.html", context)


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    access.require(access.can_define_indicators(request.user))
    form = IndicatorForm(_data(request), instance=indicator)
    if form.is_valid():
        form.save()
        messages.success(request, _("Mätetalet %(name)s har sparats.") % {"name": indicator.name})
        return redirect(indicator)
    context = {"form": form, "indicator": indicator, "cancel_url": indicator.get_absolute_url()}
    return render(request, "scorecards/edit/indicator_form.html", context)


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


# Metrics and targets ----------------------------------------------------------------------------


@login_required
def metric_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An indicator on a goal, with (optionally) its target for the scorecard's year."""
    goal = _goal_for_editing(request, pk)
    card = goal.scorecard
    data = _data(request)
    form = MetricForm(
        data,
        instance=Metric(goal=goal),
        initial={"order": _next_order(goal.metrics)},
        reason_for=card,
    )
    target_form = TargetForm(data, instance=Target(year=card.year), prefix="target")
    if all([form.is_valid(), target_form.is_valid()]):  # both, so both show their errors
        with transaction.atomic():
            metric = form.save()
            if target_form.has_target:
                target = target_form.save(commit=False)
                target.metric = metric
                adoption.with_history_reason(target, form.change_reason).save()
            what = _("Nytt mätetal: %(name)s") % {"name": metric.indicator.name}
            _mark(request, card, form, kind="metric", obj=metric, goal=goal, what=what)
        messages.success(request, _("Mätetalet har lagts till på målet."))
        return redirect(_goal_url(goal))
    context = _page(
        card,
        form=form,
        target_form=target_form,
        goal=goal,
        cancel_url=_goal_url(goal),
        indicator_create_url=f"{reverse('indicator_create')}?{urlencode({'next': request.path})}",
    )
    return render(request, "scorecards/edit/metric_form.html", context)


@login_required
def metric_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Removes the indicator from the goal; its measurements belong to the indicator and stay."""
    metric = _metric_for_editing(request, pk)
    goal = metric.goal
    form = ChangeReasonForm(_data(request), reason_for=goal.scorecard)
    if form.is_valid():
        with transaction.atomic():
            what = _("Borttaget mätetal: %(name)s") % {"name": metric.indicator.name}
            _mark(request, goal.scorecard, form, kind="metric", obj=metric, goal=goal, what=what)
            metric.delete()
        messages.success(request, _("Mätetalet har tagits bort från målet."))
        return redirect(_goal_url(goal))
    context = _page(
        goal.scorecard,
        form=form,
        title=_("Ta bort mätetalet %(name)s från målet") % {"name": metric.indicator.name},
        text=_("Målvärdena för mätetalet på det här målet tas också bort. Utfallen finns kvar."),
        submit=_("Ta bort"),
        cancel_url=_goal_url(goal),
    )
    return render(request, "scorecards/edit/confirm.html", context)


@login_required
def target_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Create, change or remove ("no target") a metric's target for one year."""
    metric = _metric_for_editing(request, pk)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    goal = metric.goal
    existing = metric.targets.filter(year=year).first()
    before = f"{existing.label} → " if existing else ""  # read before the form changes it
    card = goal.scorecard
    form = TargetForm(
        _data(request), instance=existing or Target(metric=metric, year=year), reason_for=card
    )
    if form.is_valid():
        name = {"year": year, "name": metric.indicator.name}
        if form.has_target:
            _saved(
                request,
                form,
                card,
                kind="target",
                goal=goal,
                always=existing is None,
                label=lambda t: (
                    _("Målvärde %(year)s för %(name)s: %(label)s")
                    % {**name, "label": before + t.label}
                ),
            )
            messages.success(request, _("Målvärdet för %(year)s har sparats.") % {"year": year})
        elif existing:
            with transaction.atomic():
                what = _("Borttaget målvärde %(year)s för %(name)s") % name
                _mark(request, card, form, kind="target", obj=existing, goal=goal, what=what)
                adoption.with_history_reason(existing, form.change_reason).delete()
            messages.success(request, _("Målvärdet för %(year)s har tagits bort.") % {"year": year})
        else:
            messages.success(
                request, _("Mätetalet har inget målvärde för %(year)s.") % {"year": year}
            )
        return redirect(_goal_url(goal))
    context = _page(
        goal.scorecard,
        form=form,
        goal=goal,
        metric=metric,
        year=year,
        other_targets=[t for t in metric.targets.all() if t.year != year],
        cancel_url=_goal_url(goal),
    )
    return render(request, "scorecards/edit/target_form.html", context)
