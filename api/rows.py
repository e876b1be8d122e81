"""The goal and metric lists read as rows, and their statuses cached per page (issue #16).

A page of 50 goals or metrics was 50 model objects with their scorecards, indicators and
prefetched goals, each walked field by field by Django REST framework, and the metric list
evaluated its goals on every request. The lists now read the page's columns with
``values_list`` and build the same JSON by hand; ``GoalSerializer`` and ``MetricSerializer`` stay
the specification (the schema and the single object's answer), and
``api/tests/test_list_rows.py`` holds every list's JSON equal to theirs.

Statuses computed at a month (the metric list always, the goal list with ``?period=``) are cached
like the overview's (``followup.rollup.cached_until_change``): every write they read — values,
targets, metrics, indicators, assessments, occasions, the unit tree, the goals and scorecards
themselves — refreshes the goals that read it, and the refresh records a change for those goals'
scorecards, the scope of the key. The key also holds the day (which units are active) and, for
the metric results with their Swedish or English labels, the language.
"""

from datetime import date
from functools import cache

from django.core.cache import caches
from django.utils import translation

from followup.evaluation import FollowUpPoint, statuses_at
from followup.rollup import cached_until_change
from followup.status import Status
from organisation import access
from scorecards.models import Goal

from . import serializers as s

GOAL_COLUMNS = (
    "id",
    "scorecard_id",
    "scorecard__unit_id",
    "scorecard__year",
    "perspective_id",
    "title",
    "description",
    "prioritised",
    "order",
    "stored_status__status",
)
METRIC_COLUMNS = (
    "id",
    "goal_id",
    "goal__scorecard_id",
    "goal__scorecard__unit_id",
    "goal__scorecard__year",
    "indicator_id",
    "indicator__code",
    "weight",
    "order",
)


def _cache():
    return caches["api-statuses"]


def goal_list(rows: list[tuple], user, month: int | None) -> list[dict]:
    """``GoalSerializer``'s answer for a page of ``GOAL_COLUMNS`` rows."""
    upward = contributes_to([row[0] for row in rows], user)
    if month is None:  # the stored status, kept up to date on every change
        statuses = {row[0]: Status.NO_VALUE if row[9] is None else Status(row[9]) for row in rows}
    else:
        statuses = goal_statuses({(row[0], row[3], row[1]) for row in rows}, month)
    answer = []
    for pk, card, unit, year, perspective, title, description, prioritised, order, _ in rows:
        status = statuses[pk]
        answer.append(
            {
                "id": pk,
                "scorecard": card,
                "unit": unit,
                "year": year,
                "perspective": perspective,
                "title": title,
                "description": description,
                "prioritised": prioritised,
                "order": order,
                "contributes_to": upward.get(pk, []),
                "result": {"month": month, "status": status.value, "label": status.label},
            }
        )
    return answer


def contributes_to(goal_ids: list[int], user) -> dict[int, list[int]]:
    """{goal id: the ids of the goals it contributes to that ``user`` may see, ascending}: the
    chain may lead to drafts."""
    through = Goal.contributes_to.through
    links = (
        through.objects.filter(access.visible_scorecards_q(user, "to_goal__scorecard__"))
        .filter(from_goal_id__in=goal_ids)
        .order_by("to_goal_id")
        .values_list("from_goal_id", "to_goal_id")
    )
    found: dict[int, list[int]] = {}
    for source, target in links:
        found.setdefault(source, []).append(target)
    return found


def goal_statuses(goals: set[tuple[int, int, int]], month: int) -> dict[int, Status]:
    """{goal id: its suggested status from January up to ``month``} for (goal, year, scorecard)."""
    found = {}
    for year, (ids, cards) in _by_year(goals).items():

        def compute(ids=ids, year=year):
            results = statuses_at(ids, FollowUpPoint(year, month))
            return {pk: str(result.suggested) for pk, result in results.items()}

        found.update(
            cached_until_change(
                "api-goal-statuses",
                (ids, year, month, date.today().isoformat()),
                compute,
                scorecard_ids=cards,
                cache=_cache(),
            )
        )
    return {pk: Status(value) for pk, value in found.items()}


def metric_list(rows: list[tuple], month: int | None) -> list[dict]:
    """``MetricSerializer``'s answer for a page of ``METRIC_COLUMNS`` rows."""
    results = metric_results({(row[1], row[4], row[2]) for row in rows}, month)
    weight = _weight_field()
    return [
        {
            "id": pk,
            "goal": goal,
            "scorecard": card,
            "unit": unit,
            "year": year,
            "indicator": indicator,
            "indicator_code": code,
            "weight": weight(value) if value is not None else None,
            "order": order,
            "result": results[pk],
        }
        for pk, goal, card, unit, year, indicator, code, value, order in rows
    ]


def metric_results(goals: set[tuple[int, int, int]], month: int | None) -> dict[int, dict]:
    """{metric id: its ``result`` as the API shows it} for every metric of the given (goal, year,
    scorecard): its value from January up to ``month`` (the latest known without one) against
    its target."""
    found = {}
    language = translation.get_language()
    for year, (ids, cards) in _by_year(goals).items():
        found.update(
            cached_until_change(
                "api-metric-results",
                (ids, year, month, language, date.today().isoformat()),
                lambda ids=ids, year=year: _metric_results(ids, year, month),
                scorecard_ids=cards,
                cache=_cache(),
            )
        )
    return found


def _metric_results(goal_ids: list[int], year: int, month: int | None) -> dict[int, dict]:
    shape = s.MetricResultSerializer()  # one serializer for the page: its fields built once
    evaluated = statuses_at(goal_ids, FollowUpPoint(year, month or 12))
    return {
        r.metric.pk: shape.to_representation(
            {
                "month": month,
                "year": r.value_year or year,
                "value": r.value,
                "status": r.status.value,
                "label": r.status.label,
                "target": r.target.pk if r.target else None,
                "covers": r.covers,
                "target_so_far": r.target_so_far,
            }
        )
        for goal_result in evaluated.values()
        for r in goal_result.metrics
    }


@cache
def _weight_field():
    """The weight as ``MetricSerializer`` writes it (a decimal string with two places)."""
    return s.MetricSerializer().fields["weight"].to_representation


def _by_year(goals: set[tuple[int, int, int]]) -> dict[int, tuple[list[int], set[int]]]:
    """{year: (its goal ids ascending, their scorecards)}."""
    found: dict[int, tuple[list[int], set[int]]] = {}
    for pk, year, card in sorted(goals):
        ids, cards = found.setdefault(year, ([], set()))
        ids.append(pk)
        cards.add(card)
    return found
