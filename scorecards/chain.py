"""The goal chain (målkedja): which links are allowed, and walking the chain up and down.

A goal may contribute only to goals in the scorecard of a strict ancestor unit for the same year.
That makes the chain point upward through the organisation, so a cycle can only appear if the
tree itself is later rearranged; it is checked explicitly anyway.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from core.links import url_maker
from core.wording import municipality_words
from organisation.models import OrgUnit

from .models import Goal

if TYPE_CHECKING:
    from followup.status import Status  # followup builds on this app: imported where used


def validate_contribution(goal: Goal, target: Goal) -> None:
    """Raise ValidationError (in the user's language) unless ``goal`` may contribute to ``target``."""
    source_card, target_card = goal.scorecard, target.scorecard
    if goal.pk is not None and goal.pk == target.pk:
        raise ValidationError(_("Ett mål kan inte bidra till sig självt."))
    if source_card.year != target_card.year:
        raise ValidationError(
            _("Målet ”%(target)s” hör till %(year)s; ett mål kan bara bidra till mål samma år.")
            % {"target": target.title, "year": target_card.year}
        )
    if source_card.unit_id == target_card.unit_id:
        raise ValidationError(
            _(
                "Målet ”%(target)s” finns i samma enhets styrkort; välj ett mål hos en överordnad enhet."
            )
            % {"target": target.title}
        )
    ancestors = set(OrgUnit.objects.ancestor_ids(source_card.unit))
    if target_card.unit_id not in ancestors:
        descendants = OrgUnit.objects.descendants(source_card.unit_id).filter(
            pk=target_card.unit_id
        )
        if descendants.exists():
            raise ValidationError(
                _("%(unit)s är en underordnad enhet; målkedjan går uppåt mot %(top)s.")
                % {"unit": target_card.unit.name, "top": municipality_words().definite}
            )
        raise ValidationError(
            _("%(unit)s är inte överordnad %(own)s; välj ett mål hos en överordnad enhet.")
            % {"unit": target_card.unit.name, "own": source_card.unit.name}
        )
    if goal.pk is not None and goal.pk in upward_goal_ids(target):
        raise ValidationError(_("Kopplingen skulle skapa en cirkel i målkedjan."))


def link_goal(goal: Goal, target: Goal) -> None:
    validate_contribution(goal, target)
    goal.contributes_to.add(target)


def upward_goal_ids(goal: Goal) -> set[int]:
    """Ids of every goal ``goal`` contributes to, directly or further up the chain."""
    seen: set[int] = set()
    frontier = {goal.pk}
    while frontier:
        parents = set(
            Goal.contributes_to.through.objects.filter(from_goal__in=frontier).values_list(
                "to_goal", flat=True
            )
        )
        frontier = parents - seen
        seen |= parents
    return seen


# Deep enough for any real organisation; also stops the recursion if the tree was rearranged
# into a cycle.
MAX_CHAIN_DEPTH = 16

_CHAIN_CTE = """
WITH RECURSIVE chain(root_id, goal_id, depth) AS (
    SELECT to_goal_id, from_goal_id, 1 FROM {table} WHERE to_goal_id IN ({roots})
    UNION
    SELECT chain.root_id, link.from_goal_id, chain.depth + 1
    FROM {table} AS link JOIN chain ON link.to_goal_id = chain.goal_id
    WHERE chain.depth < {max_depth}
)
"""


def chain_cte(root_ids) -> tuple[str, list]:
    """The recursive CTE ``chain(root_id, goal_id, depth)`` for other queries to build on."""
    table = Goal.contributes_to.through._meta.db_table
    sql = _CHAIN_CTE.format(
        table=connection.ops.quote_name(table),
        roots=", ".join(["%s"] * len(root_ids)),
        max_depth=MAX_CHAIN_DEPTH,
    )
    return sql, list(root_ids)


def contributor_depths(root_ids: list[int]) -> dict[int, dict[int, int]]:
    """{root goal id: {contributing goal id: depth}} for every goal below each root, in one query.

    A recursive CTE, so the cost in queries is the same for a chain of two levels or seven.
    """
    result: dict[int, dict[int, int]] = {pk: {} for pk in root_ids}
    if not root_ids:
        return result
    cte, params = chain_cte(root_ids)
    sql = cte + "SELECT root_id, goal_id, MIN(depth) FROM chain GROUP BY root_id, goal_id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for root_id, goal_id, depth in cursor.fetchall():
            if goal_id != root_id:
                result[root_id][goal_id] = depth
    return result


def level_statuses(
    goal: Goal, *, within: Q | None = None
) -> dict[int, list[tuple[int, str, bool]]]:
    """{depth: [(goal id, status counted, assessed?), …]} for every goal contributing to
    ``goal``, each level in unit order: the owners' assessed status where there is one, else the
    suggested one. ``within`` narrows the goals (e.g. to scorecards the user may read)."""
    from followup.status import Status  # the status vocabulary; followup builds on this app

    depths = contributor_depths([goal.pk])[goal.pk]
    rows = (
        Goal.objects.filter(within or Q(), pk__in=depths)
        .order_by("scorecard__unit__order", "scorecard__unit__name", "order", "pk")
        .values_list("pk", "stored_status__status", "stored_status__assessed")
    )
    by_level: dict[int, list[tuple[int, str, bool]]] = {}
    for pk, status, assessed in rows:
        counted = assessed or status or Status.NO_VALUE.value
        by_level.setdefault(depths[pk], []).append((pk, counted, bool(assessed)))
    return by_level


@dataclass(frozen=True)
class ChainRow:
    """One contributing goal as the chain page lists it."""

    pk: int
    title: str
    unit_name: str
    status: "Status"
    chain_url: str
    card_url: str
    upper_titles: str  # the goals it contributes to, "; "-separated


def downward_levels(
    by_level: dict[int, list[tuple[int, str, bool]]],
    *,
    rows_per_level: int | None = None,
    within: Q | None = None,
) -> list[dict]:
    """The levels of ``level_statuses`` for a page, in two queries whatever the depth.

    Each level is ``{"number", "total", "by_status", "goals"}``: how many goals on the level have
    each status ({(status counted, assessed?): n}, for ``Rollup.of``), and a ``ChainRow`` for at
    most ``rows_per_level`` of them, so a level with a
    thousand units costs a list of ids, not a thousand rendered rows. Rows are read as plain
    values: building model objects for them cost more than the rest of the page. ``within``
    narrows the goals a row names as the ones it contributes to (e.g. to what the reader may see).
    """
    from followup.status import Status

    shown = [pk for level in by_level.values() for pk, *_counted in level[:rows_per_level]]
    goals = {
        pk: (title, card, unit)
        for pk, title, card, unit in Goal.objects.filter(pk__in=shown).values_list(
            "pk", "title", "scorecard_id", "scorecard__unit__name"
        )
    }
    uppers: dict[int, list[str]] = defaultdict(list)
    # From the goals above to the shown ones, so each side is looked up by key.
    for pk, title in (
        Goal.objects.filter(within or Q(), contributions__in=shown)
        .order_by("perspective__order", "order", "pk")
        .values_list("contributions", "title")
    ):
        uppers[pk].append(title)
    chain_url, card_url = url_maker("goal_chain"), url_maker("scorecard_detail")

    def row(pk: int, status: str) -> ChainRow:
        title, card, unit = goals[pk]
        return ChainRow(
            pk,
            title,
            unit,
            Status(status),
            chain_url(pk),
            card_url(card),
            "; ".join(uppers[pk]),
        )

    return [
        {
            "number": number,
            "total": len(level),
            "by_status": Counter((Status(s), a) for _pk, s, a in level),
            "goals": [row(pk, status) for pk, status, _a in level[:rows_per_level]],
        }
        for number, level in enumerate((by_level[depth] for depth in sorted(by_level)), start=1)
    ]
