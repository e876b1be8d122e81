"""The goal chain as a tree: from one goal down through every goal that contributes to it.

Two queries whatever the size or depth of the chain: the links below the goal (one recursive
CTE, ``chain.chain_cte``) and the goals on them with their stored statuses. The statuses are the
ones ``followup`` keeps in ``GoalStatus`` by the one rule (``followup.evaluation``): a goal counts
with its owners' assessed status where there is one, else with the suggested one — the same
status the roll-ups count. Nothing here computes a status from values.

A goal the reader may not see (a draft) is left out and its contributors hang under the nearest
goal above it that the reader sees, so a draft's title never shows but the public goals below it
still do.
"""

import zlib
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from core.links import url_maker

from .chain import MAX_CHAIN_DEPTH, chain_cte
from .models import Goal

_EDGES_SQL = """{cte}
SELECT DISTINCT link.from_goal_id, link.to_goal_id
FROM {table} AS link
WHERE link.from_goal_id IN (SELECT goal_id FROM chain)
  AND (link.to_goal_id = %s OR link.to_goal_id IN (SELECT goal_id FROM chain))
"""


def tree_data(root_id: int, *, within: Q | None = None) -> dict:
    """{"goals": {pk: (title, unit name, scorecard id, status, assessed?)} in unit order,
    "children": {pk: [child pk, …]}} for ``root_id`` and the goals below it the reader may see
    (``within``). Plain data, so the page can cache it until the chain changes."""
    from followup.status import Status  # followup builds on this app: imported where used

    cte, params = chain_cte([root_id])
    table = connection.ops.quote_name(Goal.contributes_to.through._meta.db_table)
    below: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_EDGES_SQL.format(cte=cte, table=table), [*params, root_id])  # noqa: S608
        for child, parent in cursor.fetchall():
            below.setdefault(parent, []).append(child)
    ids = {root_id, *(c for children in below.values() for c in children)}
    rows = (
        Goal.objects.filter(within or Q(), pk__in=ids)
        .order_by("scorecard__unit__order", "scorecard__unit__name", "order", "pk")
        .values_list(
            "pk",
            "title",
            "scorecard__unit__name",
            "scorecard_id",
            "stored_status__status",
            "stored_status__assessed",
        )
    )
    goals = {
        pk: (title, unit, card, assessed or status or Status.NO_VALUE.value, bool(assessed))
        for pk, title, unit, card, status, assessed in rows
    }
    order = {pk: i for i, pk in enumerate(goals)}
    children = {pk: sorted(_visible_below(pk, below, goals), key=order.__getitem__) for pk in goals}
    return {"goals": goals, "children": {pk: c for pk, c in children.items() if c}}


def _visible_below(pk: int, below: dict[int, list[int]], goals: dict) -> set[int]:
    """The goals directly below ``pk``, looking through goals the reader may not see."""
    found: set[int] = set()
    frontier, seen = list(below.get(pk, [])), {pk}
    while frontier:
        child = frontier.pop()
        if child in seen:
            continue
        seen.add(child)
        if child in goals:
            found.add(child)
        else:
            frontier.extend(below.get(child, []))
    return found


@dataclass
class TreeNode:
    """One goal in the tree as the page shows it, with what is below it."""

    pk: int
    title: str
    unit_name: str
    status: "object"  # followup.status.Status
    assessed: bool
    chain_url: str
    card_url: str
    depth: int
    rolled: "object | None" = None  # what the contributors' statuses say together, if anything
    total_children: int = 0
    children: list["TreeNode"] = field(default_factory=list)

    @property
    def contradicts(self) -> bool:
        """The goal's own status says the opposite of its contributors' roll-up: met while
        they together are not met, or the other way round."""
        from followup.status import Status

        return {self.status, self.rolled} == {Status.MET, Status.NOT_MET}

    @property
    def size(self) -> int:
        """Goals drawn below this one."""
        return sum(1 + child.size for child in self.children)

    @property
    def hidden_children(self) -> int:
        return self.total_children - len(self.children)


@dataclass(frozen=True)
class DrawnTree:
    """A tree drawn as HTML, with what the page says about its root (``goal_chain``).

    The HTML is kept compressed: a city goal's tree is about 0.5 MB of HTML (50 kB packed), and
    each worker caches one per reader visibility, language and "visa alla"."""

    packed: bytes  # zlib-compressed UTF-8 HTML
    children: bool  # anything drawn below the root
    status: "object"
    rolled: "object | None"
    contradicts: bool
    total_children: int
    hidden_children: int

    @classmethod
    def pack(cls, html: str, **about) -> "DrawnTree":
        return cls(packed=zlib.compress(html.encode(), 1), **about)

    @property
    def html(self) -> str:
        return zlib.decompress(self.packed).decode()


# Goals drawn at most on one page; beyond it, "visa alla" under each goal shows what was left out.
MAX_TREE_NODES = 3000


def build_tree(data: dict, root_id: int, *, per_parent: int | None) -> TreeNode | None:
    """The nested tree from ``tree_data``, at most ``per_parent`` goals under each goal (None:
    all). A goal contributing to two goals in the chain shows under both."""
    from followup.status import Status, suggest_goal_status

    goals, children = data["goals"], data["children"]
    if root_id not in goals:
        return None
    chain_url, card_url = url_maker("goal_chain"), url_maker("scorecard_detail")
    budget = [MAX_TREE_NODES]  # a goal under many goals repeats: the page stays bounded

    def node(pk: int, depth: int, path: frozenset) -> TreeNode:
        title, unit, card, status, assessed = goals[pk]
        below = [c for c in children.get(pk, []) if c not in path]
        made = TreeNode(
            pk, title, unit, Status(status), assessed, chain_url(pk), card_url(card), depth
        )
        made.total_children = len(below)
        if below and depth < MAX_CHAIN_DEPTH:
            shown = below[:per_parent][: max(budget[0], 1)]
            budget[0] -= len(shown)
            made.children = [node(c, depth + 1, path | {c}) for c in shown]
            # The one rule for a suggestion, applied to the contributors' counted statuses,
            # each weighing the same: what they say together about the goal above them.
            made.rolled = suggest_goal_status((Status(goals[c][3]), 1) for c in below)
        return made

    return node(root_id, 0, frozenset({root_id}))
