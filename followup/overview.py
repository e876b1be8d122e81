"""The overview above a scorecard's perspectives: goals by status per perspective, and the goals
that need attention.

Nothing here rates a goal: the counts are the scorecard page's own roll-ups (``Rollup``, the
owners' assessment first, the metrics' suggestion otherwise), and a goal needs attention when

* it counts as not met ("Ej uppfyllt");
* it counts worse than at the previous follow-up point: the latest occasion of the year that ends
  before the month the statuses cover, read by the same rule (its assessment there, else its
  suggestion at that occasion from ``statuses_at``);
* a value is still missing for the latest occasion whose deadline has passed (what is due is
  ``reminders.values_due``, as for the reminders and the occasion's progress).

A fixed number of queries however many goals: none when the year has no occasion, up to seven
for the comparison and the missing values; both are cached until a change is recorded
for the scorecard (``cached_statuses_then``, ``cached_missing``), so a warm page pays one query for each.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from .assessments import assessments_for
from .evaluation import FollowUpPoint, Statuses, statuses_at
from .models import FollowUpOccasion
from .reminders import values_due
from .rollup import cached_until_change
from .status import RATED, Rollup, Status, assessed_status

# How many goals the list shows before it says how many more there are: the overview has to fit
# one screen.
ATTENTION_SHOWN = 6
# Better first, for "worse than before".
RANK = {Status.MET: 2, Status.CLOSE: 1, Status.NOT_MET: 0}


@dataclass
class Attention:
    goal: object
    reasons: list[str] = field(default_factory=list)


@dataclass
class Bar:
    """One perspective's goals by status, as segments of a 0–100 wide bar."""

    perspective: object
    counts: Rollup
    segments: list[tuple[Status, int, str, str]]  # status, count, x, width ("12.50": SVG's own)

    @property
    def text(self) -> str:
        """The bar's text alternative: "Medborgare: 3 uppfyllt, 1 delvis uppfyllt, …"."""
        parts = [f"{n} {status.label.lower()}" for status, n in self.counts]
        return f"{self.perspective.name}: " + ", ".join(parts)


def bar_segments(counts: Rollup) -> list[tuple[Status, int, str, str]]:
    """Coordinates as strings with a point: a template would write 12,5 in Swedish."""
    total = counts.total
    segments, x = [], 0.0
    for status, n in counts:
        if n and total:
            width = 100 * n / total
            segments.append((status, n, f"{x:.2f}", f"{width:.2f}"))
            x += width
    return segments


def counted_status(goal) -> Status:
    """The status a goal counts with in every roll-up: its latest assessment's, else the
    suggestion (``Rollup.of_goals``)."""
    assessment = getattr(goal, "assessment", None)
    assessed = assessed_status(assessment.status) if assessment else None
    return assessed or goal.result.suggested


def covered_month(results: Statuses) -> int:
    """The month the year's statuses cover: the latest with a value this year (``covers``)."""
    months = [
        r.last_month
        for result in results.values()
        for r in result.metrics
        if r.last_month and r.value_year is None and r.value is not None
    ]
    return min(max(months), results.point.month) if months else 0


def scorecard_overview(
    card, sections, goals, results: Statuses, *, occasions: list[FollowUpOccasion], today: date
) -> dict:
    """The overview's context: a bar per perspective and the goals needing attention.
    ``goals`` carry ``result`` and ``assessment`` as the scorecard page set them; ``occasions``
    are the scorecard's year's (the page lists them too)."""
    occasions = sorted(occasions, key=lambda o: o.end_month)
    bars = [Bar(s["perspective"], s["counts"], bar_segments(s["counts"])) for s in sections]
    found: dict[int, Attention] = {}

    def flag(goal, reason: str) -> None:
        found.setdefault(goal.pk, Attention(goal)).reasons.append(reason)

    for goal in goals:
        if counted_status(goal) == Status.NOT_MET:
            flag(goal, Status.NOT_MET.label)
    _flag_worse(goals, occasions, covered_month(results), flag)
    _flag_missing(card, goals, occasions, today, flag)
    order = {g.pk: i for i, g in enumerate(goals)}
    attention = sorted(found.values(), key=lambda a: order[a.goal.pk])
    return {
        "bars": bars,
        "attention": attention[:ATTENTION_SHOWN],
        "attention_more": max(0, len(attention) - ATTENTION_SHOWN),
        "attention_total": len(attention),
    }


def _flag_worse(goals, occasions, month: int, flag) -> None:
    earlier = [o for o in occasions if o.end_month < month]
    if not earlier or not goals:
        return
    previous = earlier[-1]
    before = cached_statuses_then(
        [g.pk for g in goals], previous, scorecard_ids={g.scorecard_id for g in goals}
    )
    for goal in goals:
        then = before[goal.pk]
        now = counted_status(goal)
        if now in RATED and then in RATED and RANK[now] < RANK[then]:
            flag(
                goal,
                _("Sämre än vid %(occasion)s (%(then)s)")
                % {"occasion": previous.name, "then": then.label.lower()},
            )


def statuses_then(goal_ids: list[int], occasion: FollowUpOccasion) -> dict[int, Status]:
    """{goal id: the status it counted with at ``occasion``}: its assessment there, else its
    suggestion at that occasion's point."""
    results = statuses_at(goal_ids, FollowUpPoint.at(occasion))
    assessed = assessments_for(goal_ids, occasion)
    then = {}
    for pk in goal_ids:
        a = assessed.get(pk)
        then[pk] = (assessed_status(a.status) if a else None) or results[pk].suggested
    return then


def cached_statuses_then(
    goal_ids: list[int], occasion: FollowUpOccasion, *, scorecard_ids
) -> dict[int, Status]:
    """``statuses_then``, kept until a change is recorded for the goals' scorecards
    (``scorecard_ids``; ``rollup.cached_until_change``).

    Evaluating the goals a second time nearly doubled the scorecard page's cost (#16). Every
    write the answer reads (values, targets, metrics, indicators, assessments, occasions, the
    tree) refreshes the goals that read it, and that refresh records a change for their
    scorecards, so those scorecards' version covers it; the occasion's month is in the key, for a
    moved occasion with nothing assessed, and the day, because which units are active depends
    on it.
    """
    ids = sorted(goal_ids)
    point = (occasion.pk, occasion.year, occasion.end_month)
    return cached_until_change(
        "overview-then",
        (ids, point, date.today().isoformat()),
        lambda: statuses_then(ids, occasion),
        scorecard_ids=scorecard_ids,
    )


def _flag_missing(card, goals, occasions, today: date, flag) -> None:
    passed = [o for o in occasions if o.deadline < today]
    if not passed or not goals:
        return
    occasion = max(passed, key=lambda o: o.end_month)
    missing = cached_missing(card.pk, occasion)
    if not missing:
        return
    reason = _("Utfall saknas till %(occasion)s (sista dag %(deadline)s)") % {
        "occasion": occasion.name,
        "deadline": occasion.deadline.isoformat(),
    }
    for goal in goals:
        if any(r.metric.indicator_id in missing for r in goal.result.metrics):
            flag(goal, reason)


def missing_indicators(card_id: int, occasion: FollowUpOccasion) -> set[int]:
    """The indicators of the scorecard still lacking a value due by ``occasion``."""
    due = values_due(year=occasion.year, end_month=occasion.end_month, scorecards=[card_id])
    return {item.indicator_id for item in due if item.missing}


def cached_missing(card_id: int, occasion: FollowUpOccasion) -> set[int]:
    """``missing_indicators``, kept until a change is recorded for the scorecard: a value written
    or removed for the scorecard's unit refreshes its goals that read it, a metric, an indicator
    or the scorecard's status changed refreshes them too, and each refresh records a change for
    the scorecard."""
    return cached_until_change(
        "overview-missing",
        (card_id, occasion.year, occasion.end_month),
        lambda: missing_indicators(card_id, occasion),
        scorecard_ids=[card_id],
    )
