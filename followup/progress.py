"""An occasion's progress per unit: values entered of those due, goals assessed of all, and who
is late. What is due is ``reminders.values_due`` (summed in SQL by ``due_counts``) (the reminders ask for exactly what is counted
missing here); a fixed number of queries however many units and goals.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from scorecards.models import Scorecard

from .locking import locked_months
from .models import FollowUpOccasion
from .reminders import due_counts


@dataclass
class UnitProgress:
    card: Scorecard
    values_due: int
    values_entered: int
    goals: int
    assessed: int
    locked: bool
    overdue: bool

    @property
    def values_missing(self) -> int:
        return self.values_due - self.values_entered

    @property
    def unassessed(self) -> int:
        return self.goals - self.assessed

    @property
    def done(self) -> bool:
        return not self.values_missing and not self.unassessed


# ?sort= on the occasion's page: the key and its label. The default lists by unit name.
SORTS = {
    "namn": _("Enhet"),
    "utfall": _("Flest saknade utfall"),
    "bedomning": _("Flest obedömda mål"),
}


def occasion_cards(occasion: FollowUpOccasion, visible: Q):
    """The occasion's year's scorecards matching ``visible``, each with its goals and those
    assessed at the occasion."""
    assessed = Q(goals__assessments__occasion=occasion)
    return (
        Scorecard.objects.filter(year=occasion.year)
        .filter(visible)
        .select_related("unit")
        .annotate(
            goal_count=Count("goals", distinct=True),
            assessed_count=Count("goals__assessments", filter=assessed, distinct=True),
        )
        .order_by("unit__name")
    )


def occasion_progress(
    occasion: FollowUpOccasion, cards, *, today: date, sort: str = "namn"
) -> list[UnitProgress]:
    """One row per scorecard in ``cards`` (from ``occasion_cards``), sorted by ``sort``."""
    cards = list(cards)
    counts = due_counts(
        year=occasion.year, end_month=occasion.end_month, scorecards=[c.pk for c in cards]
    )
    lock_cache: dict = {}
    rows = []
    for card in cards:
        locked = occasion.is_locked or (
            occasion.end_month <= locked_months(occasion.year, card.unit, cache=lock_cache)
        )
        row = UnitProgress(
            card=card,
            values_due=counts.get(card.pk, (0, 0))[0],
            values_entered=counts.get(card.pk, (0, 0))[1],
            goals=card.goal_count,
            assessed=card.assessed_count,
            locked=locked,
            overdue=False,
        )
        row.overdue = not locked and occasion.deadline < today and not row.done
        rows.append(row)
    if sort == "utfall":
        rows.sort(key=lambda r: (-r.values_missing, -r.unassessed, r.card.unit.name))
    elif sort == "bedomning":
        rows.sort(key=lambda r: (-r.unassessed, -r.values_missing, r.card.unit.name))
    return rows
