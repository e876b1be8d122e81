"""Applying: the workbook's scorecards written as drafts, all or nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reports.imports import Plan
from scorecards.chain import validate_contribution
from scorecards.models import (
    Goal,
    Indicator,
    Metric,
    Scorecard,
    ScorecardStatus,
    Strategy,
    Target,
)

from .plan import Work, _Planner

# --- applying -------------------------------------------------------------------------------


class ScorecardImportError(ValidationError):
    """The rows have errors now: nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(_("Filen innehåller fel. Inget har sparats."))
        self.plan = plan


def scorecard_apply(*, records: dict[str, list[dict]], user) -> list[Scorecard]:
    """Create the workbook's scorecards as drafts, all or nothing; the scorecards written.

    Planned again inside the transaction, so it acts on what is stored now; raises
    ``ScorecardImportError`` (with the new plan) if any row is wrong.
    """
    from followup.rollup import batched_refresh  # followup builds on scorecards, as reports does

    with transaction.atomic():
        plan, work = _Planner(records, user).run()
        if plan.errors:
            raise ScorecardImportError(plan)
        with batched_refresh():
            cards = _write_cards(work)
            _write_goals(work, cards)
            Strategy.objects.bulk_create(
                Strategy(goal=item.goal, text=text, order=order)
                for item, text, order in work.strategies
            )
            _write_metrics(work)
    return list(cards.values())


def _write_cards(work: Work) -> dict[int, Scorecard]:
    cards = {}
    for item in work.goals:
        unit = item.unit
        if unit.pk not in cards:
            card = work.cards.get(unit.pk) or Scorecard.objects.create(
                unit=unit, year=work.year, programme=work.programme, status=ScorecardStatus.DRAFT
            )
            cards[unit.pk] = card
        cards[unit.pk].perspectives.add(item.perspective)
    return cards


def _write_goals(work: Work, cards: dict[int, Scorecard]) -> None:
    for item in work.goals:  # file order: a higher unit's goals are written before links
        item.goal = Goal.objects.create(
            scorecard=cards[item.unit.pk],
            perspective=item.perspective,
            title=item.title,
            description=item.description,
            prioritised=item.prioritised,
            order=item.order,
        )
    for item in work.goals:
        uppers = [u if isinstance(u, Goal) else u.goal for u in item.links]
        for upper in uppers:
            validate_contribution(item.goal, upper)  # the cycle check needs the stored goal
        item.goal.contributes_to.add(*uppers)


def _write_metrics(work: Work) -> None:
    made: dict[int, Indicator] = {}
    for metric in work.metrics:
        indicator = metric.indicator
        if isinstance(indicator, dict):
            if id(indicator) not in made:
                fields = {k: v for k, v in indicator.items() if k != "row"}
                made[id(indicator)] = Indicator.objects.create(**fields)
            indicator = made[id(indicator)]
        stored = Metric.objects.create(
            goal=metric.goal.goal, indicator=indicator, order=metric.order
        )
        if metric.target:
            Target.objects.create(metric=stored, year=metric.year, **metric.target)
