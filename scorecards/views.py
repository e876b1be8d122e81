"""Read pages: the city's scorecard, any unit's scorecard, the goal chain and the programme."""

from collections import Counter
from datetime import date

from django.db.models import Count, Prefetch, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from firstrun.services import setup_wanted
from followup import trend_arrows
from followup.assessments import latest_assessments
from followup.evaluation import FollowUpPoint, statuses_at
from followup.models import FollowUpOccasion
from followup.overview import scorecard_overview
from followup.rollup import (
    cached_contributor_status_counts,
    cached_statuses_at,
    cached_until_change,
)
from followup.status import Rollup, Status, assessed_status
from organisation import access
from organisation.models import OrgUnit

from . import adoption, rendered
from .chain import downward_levels, level_statuses
from .chaintree import DrawnTree, build_tree, tree_data
from .models import AdoptedVersion, Goal, GoalProgramme, Indicator, Scorecard, ScorecardStatus


def home(request: HttpRequest) -> HttpResponse:
    """The municipality's scorecard: of the year asked for (``?ar=2027``), else the current year's,
    else the newest adopted one (in December next year's may be adopted before this year's
    exists), else the latest there is."""
    year = date.today().year
    cards = (
        Scorecard.objects.filter(unit__parent__isnull=True)
        .filter(access.visible_scorecards_q(request.user))
        .select_related("unit", "programme")  # the page shows both
    )
    asked = request.GET.get("ar", "")
    card = (
        (cards.filter(year=int(asked)).first() if asked.isdigit() and len(asked) == 4 else None)
        or cards.filter(year=year).first()
        or cards.filter(status=ScorecardStatus.ADOPTED).order_by("-year").first()
        or cards.order_by("-year").first()
    )
    if card is None:
        if setup_wanted(request.user):  # an empty instance: its administrator sets it up first
            return redirect("setup_start")
        return render(request, "scorecards/empty.html", {"year": year})
    return _render_scorecard(request, card, is_home=True)


def scorecard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Its programme is shown on the municipality's page only (the vision).
    return _render_scorecard(request, access.scorecard_for(request.user, pk, related=("unit",)))


def _render_scorecard(request: HttpRequest, card: Scorecard, *, is_home: bool = False):
    """The page: the card, the reader's rights and toolbar here; the goals, their statuses and the
    summary drawn once per version of what they show (``scorecards.rendered``)."""
    user = request.user
    can_edit = access.can_edit(user, card.unit)
    can_see_history = access.level(user, card.unit) >= access.READ
    today = date.today()  # the same day in the key and in the drawing
    drawn = cached_until_change(
        "scorecard-page",
        rendered.key_parts(card, user, today=today, can_edit=can_edit, history=can_see_history),
        lambda: _drawn_parts(user, card, today, can_edit, can_see_history),
        scorecard_ids=[card.pk],
    )
    context = {
        "card": card,
        "unit": card.unit,
        "drawn": drawn.unpacked(),
        "is_home": is_home,
        "can_edit": can_edit,
        "can_report": access.can_report(user, card.unit),
        "can_see_history": can_see_history,
    }
    return render(request, "scorecards/scorecard_detail.html", context)


def _drawn_parts(user, card: Scorecard, today: date, can_edit: bool, can_see_history: bool):
    """The goals with their statuses, values, trends, forecasts and assessments, the summary above
    them and the year's occasions, drawn (``rendered.DrawnParts``): what the page costs when
    nothing is cached."""
    occasions = list(FollowUpOccasion.objects.filter(year=card.year))
    visible = access.visible_scorecards_q(user, prefix="scorecard__")
    goals = list(
        card.goals.select_related("perspective")
        .prefetch_related(
            "strategies",
            Prefetch(  # only goals the reader may see: a draft's titles stay in the draft
                "contributes_to",
                queryset=Goal.objects.filter(visible).select_related("scorecard__unit"),
            ),
        )
        # Shown only as a number: counted in the database, not prefetched as goals (#16).
        .annotate(
            direct_contributions=Count(
                "contributions",
                filter=access.visible_scorecards_q(user, "contributions__scorecard__"),
                distinct=True,
            )
        )
        .order_by("perspective__order", "order", "pk")
    )
    results = statuses_at([g.pk for g in goals], FollowUpPoint(card.year))
    trend_arrows.annotate(results.values(), card.year)  # forecasts and trends beside the values
    rollups = _chain_rollups(goals, user)
    assessed = latest_assessments([g.pk for g in goals], card.year)
    sections = []
    for perspective in card.perspectives.all():
        own = [g for g in goals if g.perspective_id == perspective.pk]
        for g in own:
            g.result = results[g.pk]
            g.rollup = rollups[g.pk]
            g.assessment = assessed.get(g.pk)
        sections.append({"perspective": perspective, "goals": own, "counts": _counted(own)})
    context = {
        "card": card,
        "sections": sections,
        "counts": _counted(goals),
        "covers": results.covers,
        "overview": scorecard_overview(
            card, sections, goals, results, occasions=occasions, today=today
        ),
        "can_edit": can_edit,
        "can_see_history": can_see_history,
        "occasions": occasions,
        **adoption.page_context(card, goals),
    }
    other_years = (
        Scorecard.objects.for_unit(card.unit)
        .filter(access.visible_scorecards_q(user))
        .exclude(pk=card.pk)
        .values("pk", "year")
        .order_by("-year")
    )
    return rendered.DrawnParts.pack(
        {name: render_to_string(template, context) for name, template in rendered.PARTS.items()},
        other_years=other_years,
        ancestors=OrgUnit.objects.ancestors(card.unit),
    )


def _counted(goals: list[Goal]) -> Rollup:
    """The goals counted with their latest assessment where there is one (``Rollup``)."""
    return Rollup.of_goals(
        (g.result.suggested, assessed_status(g.assessment.status) if g.assessment else None)
        for g in goals
    )


def _chain_rollups(goals: list[Goal], user) -> dict[int, Rollup | list]:
    """For each goal: its contributing goals below (any depth) counted by stored status."""
    counts = cached_contributor_status_counts(
        [g.pk for g in goals],
        visible_units=access.visible_unit_ids(user),
        scorecard_ids={g.scorecard_id for g in goals},
    )
    return {root: Rollup.of(found) if found else [] for root, found in counts.items()}


def goal_chain(request: HttpRequest, pk: int) -> HttpResponse:
    """From the vision and the programme down to every goal that contributes, unit by unit."""
    goal = get_object_or_404(
        Goal.objects.select_related("scorecard__unit", "scorecard__programme", "perspective"),
        pk=pk,
    )
    access.require_visible(access.can_view_scorecard(request.user, goal.scorecard))
    visible = access.visible_scorecards_q(request.user, prefix="scorecard__")
    upward = _upward_path(goal, visible)
    show_all = request.GET.get("alla") == "1"
    by_level = cached_until_change(
        "chain-levels",
        (goal.pk, access.visible_unit_ids(request.user)),
        lambda: level_statuses(goal, within=visible),
        scorecard_ids=[goal.scorecard_id],
    )
    # The levels are counted only; the goals themselves are drawn as the tree.
    levels = downward_levels(by_level, rows_per_level=0, within=visible)
    # The tree drawn once per chain version, reader's visibility, "visa alla" and language: at
    # a city's goal it is hundreds of goals, and drawing them was most of the page (#16). A status
    # that moves below records the root's scorecard (followup.rollup), so that scope suffices.
    tree = cached_until_change(
        "chain-tree-drawn",
        (goal.pk, access.visible_unit_ids(request.user), show_all, get_language()),
        lambda: _drawn_tree(goal.pk, visible, show_all),
        scorecard_ids=[goal.scorecard_id],
    )
    total: Counter = Counter()
    for level in levels:
        level["counts"] = Rollup.of(level["by_status"])
        total.update(level["by_status"])
    # The goal's own figures: its aggregated ones read the whole level below (#16).
    statuses = cached_statuses_at(
        [goal.pk], FollowUpPoint(goal.scorecard.year), scorecard_ids=[goal.scorecard_id]
    )
    goal.result = statuses[goal.pk]
    context = {
        "goal": goal,
        "programme": goal.scorecard.programme,
        "upward": upward,
        "levels": levels,
        "tree": tree,
        "counts": Rollup.of(total),
        "covers": statuses.covers,
        "rows_per_level": CHAIN_ROWS_PER_LEVEL,
        # The goals below that the reader sees, for the forecast roll-up: the chain is not read
        # again for it.
        "below": [pk for level in by_level.values() for pk, *_counted in level],
    }
    return render(request, "scorecards/goal_chain.html", context)


def _drawn_tree(root_id: int, visible, show_all: bool) -> DrawnTree | None:
    """The chain below ``root_id`` as the page draws it: the tree's HTML and what the page says
    about its root. Plain data, so it can be cached until the chain changes."""
    data = tree_data(root_id, within=visible)
    tree = build_tree(data, root_id, per_parent=None if show_all else CHAIN_ROWS_PER_LEVEL)
    if tree is None:
        return None
    # A small tree opens whole; a large one opens its first level (the rest a click away).
    open_depth = 99 if tree.size <= OPEN_WHOLE_TREE else 2
    html = render_to_string(
        "scorecards/_chain_tree.html", {"nodes": tree.children, "open_depth": open_depth}
    )
    return DrawnTree.pack(
        html,
        children=bool(tree.children),
        status=tree.status,
        rolled=tree.rolled,
        contradicts=tree.contradicts,
        total_children=tree.total_children,
        hidden_children=tree.hidden_children,
    )


# A goal with hundreds of contributors shows its first 50 in the tree (a screenful); the full
# list is one click away. The page then weighs about the same for a city of 1,000 units
# as for one of 100.
CHAIN_ROWS_PER_LEVEL = 50
OPEN_WHOLE_TREE = 60


_COUNTED = Coalesce(NullIf("stored_status__assessed", Value("")), "stored_status__status")


def _upward_path(goal: Goal, visible) -> list[list[Goal]]:
    """Goals above ``goal``, nearest last: each level is what the level below contributes to."""
    path: list[list[Goal]] = []
    frontier = [goal]
    while frontier:
        ids = [g.pk for g in frontier]
        uppers = list(
            Goal.objects.filter(visible, contributions__in=ids)
            .select_related("scorecard__unit", "perspective")
            .annotate(counted=_COUNTED)
            .distinct()
        )
        for upper in uppers:  # the status the roll-ups count (stored by followup's one rule)
            upper.status = Status(upper.counted or Status.NO_VALUE)
        if not uppers or len(path) > 16:
            break
        path.insert(0, uppers)
        frontier = uppers
    return path


def adopted_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The scorecard as its decision adopted it, from the frozen version: later edits and renames
    of units or indicators do not show here."""
    card = get_object_or_404(Scorecard.objects.select_related("unit"), pk=pk)
    access.require_visible(access.can_view_scorecard(request.user, card))
    version = get_object_or_404(
        AdoptedVersion.objects.select_related("adopted_by"), scorecard=card, number=number
    )
    context = {
        "card": card,
        "unit": card.unit,
        "version": version,
        "data": version.snapshot,
        "versions": card.adopted_versions.order_by("number").values_list("number", flat=True),
        "marks": card.changes_after_adoption.filter(version=version).select_related("by"),
        "ancestors": OrgUnit.objects.ancestors(card.unit),
    }
    return render(request, "scorecards/adopted_version.html", context)


def programme_list(request: HttpRequest) -> HttpResponse:
    context = {
        "programmes": GoalProgramme.objects.all(),
        "can_manage": access.can_manage_structure(request.user),
    }
    return render(request, "scorecards/programme_list.html", context)


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(GoalProgramme, pk=pk)
    city_cards = (
        programme.scorecards.filter(unit__parent__isnull=True)
        .filter(access.visible_scorecards_q(request.user))
        .select_related("unit")
        .order_by("year")
    )
    return render(
        request,
        "scorecards/programme_detail.html",
        {
            "programme": programme,
            "city_cards": city_cards,
            "can_manage": access.can_manage_structure(request.user),
        },
    )


def indicator_list(request: HttpRequest) -> HttpResponse:
    context = {
        "indicators": Indicator.objects.all(),
        "can_edit": access.can_define_indicators(request.user),
    }
    return render(request, "scorecards/indicator_list.html", context)


def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    visible = access.visible_scorecards_q(request.user, prefix="goal__scorecard__")
    metrics = (
        indicator.metrics.filter(visible)
        .select_related("goal__scorecard__unit")
        .order_by("-goal__scorecard__year", "goal__scorecard__unit__name")
    )
    return render(
        request,
        "scorecards/indicator_detail.html",
        {
            "indicator": indicator,
            "metrics": metrics,
            "can_edit": access.can_define_indicators(request.user),
        },
    )
