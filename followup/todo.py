""" "Att göra": what a person with a role has to do, overdue first, each a link to its form.

Every kind of task comes from one function in ``SOURCES`` taking (user, today) and returning
``Task`` objects; a new kind (a year report's sections to write or approve) is one more function
in that list. Each source reads a fixed number of queries however many goals and scorecards.

* Values: for each open follow-up occasion of this year and last, the values people enter that
  are due up to the last month that has ended (``reminders.values_due``, the reminders' rule)
  and still missing, one task per scorecard and month. A month is reported to the first occasion
  that covers it, whose deadline it gets; a month locked for the unit is left out.
* Assessments: each open occasion whose months have ended, one task per scorecard with goals
  not yet assessed there.

Only scorecards the person reports on count (``access.reportable_scorecards_q``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisation import access
from scorecards.models import Scorecard, ScorecardStatus

from .locking import locked_months
from .models import FollowUpOccasion
from .reminders import values_due


@dataclass
class Task:
    title: str  # what to do: "Registrera utfall för mars 2026"
    where: str  # on what: "Styrkort 2026 – Energienheten"
    detail: str  # how much: "3 mätetal saknar utfall"
    url: str  # the form that does it
    deadline: date | None
    kind: str  # "values", "assessment", "report"

    def overdue(self, today: date) -> bool:
        return self.deadline is not None and self.deadline < today


def _where(card: Scorecard) -> str:
    return _("Styrkort %(year)s – %(unit)s") % {"year": card.year, "unit": card.unit.name}


def _open_occasions(today: date) -> list[FollowUpOccasion]:
    return list(
        FollowUpOccasion.objects.filter(year__in=(today.year - 1, today.year)).order_by(
            "year", "end_month"
        )
    )


def _last_ended_month(year: int, today: date) -> int:
    """The last month of ``year`` that has ended by ``today`` (0 for none yet)."""
    if year < today.year:
        return 12
    return today.month - 1 if year == today.year else 0


def value_tasks(user, today: date) -> list[Task]:
    """Values to enter, one task per scorecard and month (see the module docstring)."""
    mine = access.reportable_scorecards_q(user)
    if mine is None:
        return []
    occasions = _open_occasions(today)
    tasks = []
    lock_cache: dict = {}
    for year in sorted({o.year for o in occasions}):
        of_year = [o for o in occasions if o.year == year]
        open_ends = [o.end_month for o in of_year if not o.is_locked]
        end = min(max(open_ends, default=0), _last_ended_month(year, today))
        if end < 1:
            continue
        cards = Scorecard.objects.filter(mine, year=year)
        missing: dict[tuple[int, int], list] = defaultdict(list)  # (card, month) → indicators
        for item in values_due(year=year, end_month=end, scorecards=cards):
            for month in item.missing:
                missing[(item.scorecard_id, month)].append(item.indicator_id)
        found = Scorecard.objects.select_related("unit").in_bulk({k[0] for k in missing})
        for (card_pk, month), indicators in sorted(missing.items()):
            card = found[card_pk]
            first = next(o for o in of_year if o.end_month >= month)  # ``end`` ≤ an occasion's
            if first.is_locked or month <= locked_months(year, card.unit, cache=lock_cache):
                continue
            tasks.append(
                Task(
                    title=_("Registrera utfall för %(month)s %(year)s")
                    % {"month": MONTHS[month], "year": year},
                    where=_where(card),
                    detail=ngettext(
                        "%(n)d mätetal saknar utfall",
                        "%(n)d mätetal saknar utfall",
                        len(indicators),
                    )
                    % {"n": len(indicators)},
                    url=reverse("value_entry", args=[card.pk]) + f"?period={year}-{month:02d}",
                    deadline=first.deadline,
                    kind="values",
                )
            )
    return tasks


def assessment_tasks(user, today: date) -> list[Task]:
    """Goals to assess, one task per scorecard and open occasion whose months have ended."""
    mine = access.reportable_scorecards_q(user)
    if mine is None:
        return []
    tasks = []
    lock_cache: dict = {}
    for occasion in _open_occasions(today):
        if occasion.is_locked or occasion.end_month > _last_ended_month(occasion.year, today):
            continue
        assessed = Q(goals__assessments__occasion=occasion)
        cards = (
            Scorecard.objects.filter(mine, year=occasion.year)
            .exclude(status=ScorecardStatus.DRAFT)
            .select_related("unit")
            .annotate(
                goal_count=Count("goals", distinct=True),
                assessed_count=Count("goals__assessments", filter=assessed, distinct=True),
            )
            .filter(goal_count__gt=0)
            .order_by("unit__name")
        )
        for card in cards:
            left = card.goal_count - card.assessed_count
            if left <= 0 or occasion.end_month <= locked_months(
                occasion.year, card.unit, cache=lock_cache
            ):
                continue
            tasks.append(
                Task(
                    title=_("Bedöm målen till %(occasion)s") % {"occasion": occasion.name},
                    where=_where(card),
                    detail=_("%(left)s av %(total)s mål saknar bedömning")
                    % {"left": left, "total": card.goal_count},
                    url=reverse("scorecard_followup", args=[card.pk, occasion.pk]),
                    deadline=occasion.deadline,
                    kind="assessment",
                )
            )
    return tasks


# Every source of tasks; an app above followup adds its own in its ready() (yearreports does).
SOURCES = [value_tasks, assessment_tasks]


def tasks_for(user, today: date) -> list[Task]:
    """Every task of ``user``, overdue first, then by deadline (none last)."""
    tasks = [task for source in SOURCES for task in source(user, today)]
    return sorted(
        tasks,
        key=lambda t: (not t.overdue(today), t.deadline or date.max, t.where),
    )
