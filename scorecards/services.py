"""Writes that span several models and must be atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisation.models import OrgUnit

from .chain import validate_contribution
from .models import (
    Goal,
    GoalProgramme,
    Metric,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Strategy,
    Target,
)


def parent_scorecard(unit: OrgUnit, year: int) -> Scorecard | None:
    """The scorecard of the nearest ancestor unit that has one for ``year``."""
    ancestors = OrgUnit.objects.ancestor_ids(unit)
    cards = {
        s.unit_id: s
        for s in Scorecard.objects.filter(unit_id__in=ancestors, year=year).select_related("unit")
    }
    for pk in reversed(ancestors):  # nearest ancestor first
        if pk in cards:
            return cards[pk]
    return None


def programme_for_year(year: int) -> GoalProgramme | None:
    return GoalProgramme.objects.filter(start_year__lte=year, end_year__gte=year).first()


@transaction.atomic
def scorecard_create_from_parent(
    *, unit: OrgUnit, year: int, take_over: list[Goal] | None = None
) -> Scorecard:
    """A draft scorecard for ``unit`` built from its parent's.

    Perspectives and programme are carried over; each goal in ``take_over`` (goals of the parent
    scorecard) becomes a goal of the new scorecard, in the same perspective, linked up the chain.
    """
    if Scorecard.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(
            _("%(unit)s har redan ett styrkort för %(year)s.") % {"unit": unit.name, "year": year}
        )
    parent = parent_scorecard(unit, year)
    programme = parent.programme if parent else programme_for_year(year)
    if programme is None:
        raise ValidationError(_("Det finns inget målprogram som gäller %(year)s.") % {"year": year})
    scorecard = Scorecard.objects.create(unit=unit, year=year, programme=programme)
    if parent:
        scorecard.perspectives.set(parent.perspectives.all())
    else:
        scorecard.perspectives.set(Perspective.objects.filter(active=True))
    for order, parent_goal in enumerate(take_over or [], start=1):
        goal = Goal.objects.create(
            scorecard=scorecard,
            perspective=parent_goal.perspective,
            title=parent_goal.title,
            description=parent_goal.description,
            order=order,
        )
        validate_contribution(goal, parent_goal)
        goal.contributes_to.add(parent_goal)
    return scorecard


@transaction.atomic
def scorecard_copy_to_year(*, scorecard: Scorecard, year: int) -> Scorecard:
    """Copy a scorecard to ``year`` as a draft: goals, strategies, metrics and targets.

    Targets keep their years; where the new year has none, the source year's target is carried
    forward without its decision (it has not been adopted for the new year). Goal links are
    re-pointed to the copies of their upper goals when those have already been copied.
    """
    if year <= scorecard.year:
        raise ValidationError(_("Ett styrkort kan bara kopieras till ett senare år."))
    if Scorecard.objects.filter(unit=scorecard.unit, year=year).exists():
        raise ValidationError(
            _("%(unit)s har redan ett styrkort för %(year)s.")
            % {"unit": scorecard.unit.name, "year": year}
        )
    programme = programme_for_year(year) or scorecard.programme
    copy = Scorecard.objects.create(
        unit=scorecard.unit,
        year=year,
        programme=programme,
        status=ScorecardStatus.DRAFT,
        introduction=scorecard.introduction,
    )
    copy.perspectives.set(scorecard.perspectives.all())
    goals = scorecard.goals.prefetch_related(
        "strategies", "metrics__targets", "contributes_to"
    ).order_by("pk")
    # The copied goals' stored statuses are refreshed once, after their targets exist (targets are
    # inserted in bulk, which sends no signal). followup builds on this app: imported when used.
    from followup.rollup import batched_refresh

    with batched_refresh():
        for goal in goals:
            _copy_goal(goal, copy, scorecard.year, year)
    return copy


def _copy_goal(goal: Goal, copy: Scorecard, from_year: int, year: int) -> None:
    new_goal = Goal.objects.create(
        scorecard=copy,
        perspective=goal.perspective,
        title=goal.title,
        description=goal.description,
        prioritised=goal.prioritised,
        order=goal.order,
        copied_from=goal,
    )
    Strategy.objects.bulk_create(
        Strategy(goal=new_goal, text=s.text, order=s.order) for s in goal.strategies.all()
    )
    for metric in goal.metrics.all():
        _copy_metric(metric, new_goal, from_year, year)
    uppers = Goal.objects.filter(copied_from__in=goal.contributes_to.all(), scorecard__year=year)
    new_goal.contributes_to.set(uppers)


def _copy_metric(metric: Metric, goal: Goal, from_year: int, to_year: int) -> None:
    new_metric = Metric.objects.create(
        goal=goal, indicator=metric.indicator, weight=metric.weight, order=metric.order
    )
    targets = list(metric.targets.all())
    copies = [_copy_target(t, new_metric, year=t.year, with_decision=True) for t in targets]
    if to_year not in {t.year for t in targets}:
        copies += [
            _copy_target(t, new_metric, year=to_year, with_decision=False)
            for t in targets
            if t.year == from_year
        ]
    Target.objects.bulk_create(copies)


def _copy_target(target: Target, metric: Metric, *, year: int, with_decision: bool) -> Target:
    copy = Target(
        metric=metric,
        year=year,
        comparator=target.comparator,
        value=target.value,
        value_high=target.value_high,
        tolerance=target.tolerance,
    )
    if with_decision:
        for name in ("decided_by", "decided_on", "paragraph", "diary_number"):
            setattr(copy, name, getattr(target, name))
    return copy
