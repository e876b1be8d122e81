"""Precomputed goal statuses for roll-ups, refreshed whenever values, targets or metrics change.

Signals catch every writer (forms, API, imports, Kolada sync, admin). Outside a batch a change
refreshes the affected goals at once; inside ``batched_refresh()`` the affected keys are collected
and refreshed once at the end of the block — inside the caller's transaction, so a rolled-back
import leaves the statuses as they were. Bulk loaders that bypass signals call
``refresh_goal_statuses()`` themselves.
"""

import hashlib
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import caches
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from organisation.models import OrgUnit
from scorecards.chain import chain_cte
from scorecards.models import Aggregation, Goal, Metric, Scorecard, ScorecardStatus

from .evaluation import FollowUpPoint, Statuses, evaluate_goals, statuses_at
from .models import Assessment, GoalStatus, RollupChange
from .status import Status, assessed_status

_state = threading.local()
# Goals evaluated at a time when refreshing: small enough that a whole-city refresh stays within
# a worker's memory, large enough that the queries stay few. Since the refresh reads each
# series of values as one year figure formed in the database (``evaluation._year_figures``), a
# goal brings a few rows, not two years of values.
CHUNK = 2000


@dataclass
class _Pending:
    goal_ids: set[int] = field(default_factory=set)
    indicators: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)
    years: set[int] = field(default_factory=set)


@contextmanager
def batched_refresh():
    """Collect changes inside the block and refresh the affected goals once, at its end."""
    if getattr(_state, "pending", None) is not None:  # already batching further out
        yield
        return
    _state.pending = _Pending()
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    _refresh_pending(pending)


def measurement_changed(indicator_id: int, unit_id: int, year: int) -> None:
    pending = _Pending(indicators={indicator_id}, units={unit_id}, years={year})
    _collect_or_refresh(pending)


def goal_changed(goal_id: int) -> None:
    _collect_or_refresh(_Pending(goal_ids={goal_id}))


def goals_changed(goal_ids) -> None:
    _collect_or_refresh(_Pending(goal_ids=set(goal_ids)))


def indicator_changed(indicator_id: int) -> None:
    """Its direction, aggregation, weight, frequency or year value may have changed: every goal
    that reads it, directly or as another indicator's aggregation weight."""
    goals_changed(
        Metric.objects.filter(
            Q(indicator_id=indicator_id) | Q(indicator__aggregation_weight_id=indicator_id)
        ).values_list("goal_id", flat=True)
    )


def unit_tree_changed() -> None:
    """A unit moved, was deactivated or came back: aggregated figures above it may change.

    Units change rarely, so every goal with an aggregating metric is refreshed rather than
    working out which ancestors, old and new, are concerned.
    """
    goals_changed(
        Metric.objects.exclude(indicator__aggregation=Aggregation.NONE).values_list(
            "goal_id", flat=True
        )
    )


def _collect_or_refresh(change: _Pending) -> None:
    pending = getattr(_state, "pending", None)
    if pending is None:
        _refresh_pending(change)
        return
    pending.goal_ids |= change.goal_ids
    pending.indicators |= change.indicators
    pending.units |= change.units
    pending.years |= change.years


def _refresh_pending(pending: _Pending) -> None:
    goal_ids = set(pending.goal_ids)
    if pending.indicators:
        goal_ids |= _goals_reading(pending.indicators, pending.units, pending.years)
    if goal_ids:
        refresh_goal_statuses(goal_ids)


def _goals_reading(indicators: set[int], units: set[int], years: set[int]) -> set[int]:
    """Goals whose status can read these units' values of these indicators in these years.

    The units' own goals, every ancestor's that aggregates the indicator (an aggregating
    indicator reads the whole subtree, and an indicator used as another's aggregation weight
    moves that one's figure; one that does not aggregate reads its own unit's values only, so a
    value below leaves the city's goals and their cached roll-ups alone), and next year's goals
    (which show last year's figure until their own arrives).
    """
    above = OrgUnit.objects.ids_above(units)  # their paths, not the whole tree (#16)
    years = years | {y + 1 for y in years}
    return set(
        Metric.objects.filter(
            Q(goal__scorecard__unit_id__in=units, indicator_id__in=indicators)
            | Q(goal__scorecard__unit_id__in=above)
            & (
                Q(indicator_id__in=indicators) & ~Q(indicator__aggregation=Aggregation.NONE)
                | Q(indicator__aggregation_weight_id__in=indicators)
            ),
            goal__scorecard__year__in=years,
        ).values_list("goal_id", flat=True)
    )


def refresh_goal_statuses(goal_ids=None) -> int:
    """Recompute the stored status of the given goals (all goals when None); returns the count."""
    count = 0
    moved: set[int] = set()
    for year, chunk in _chunks(goal_ids):
        computed = _computed(chunk, year)
        # Only the statuses that moved are written: a large import changes a few of thousands.
        stored = {
            pk: (status, assessed)
            for pk, status, assessed in GoalStatus.objects.filter(goal_id__in=chunk).values_list(
                "goal_id", "status", "assessed"
            )
        }
        changed = {pk: now for pk, now in computed.items() if stored.get(pk) != now}
        _store(changed)
        moved |= changed.keys()
        count += len(chunk)
    if count:
        if goal_ids is None:
            rollup_changed()  # everything was recounted: every cached roll-up goes
        else:
            goals_refreshed(goal_ids, moved)
    return count


def stale_statuses(goal_ids=None) -> list[tuple[int, str, str]]:
    """(goal id, stored, recomputed) for every stored status that differs from a fresh
    computation; a goal without a stored row counts as "Utfall saknas", as the roll-ups do."""
    differ = []
    for year, chunk in _chunks(goal_ids):
        results = evaluate_goals(chunk, year=year, status_only=True)
        stored = dict(GoalStatus.objects.filter(goal_id__in=chunk).values_list("goal_id", "status"))
        for pk in chunk:
            was = stored.get(pk, Status.NO_VALUE)
            now = results[pk].suggested
            if was != now:
                differ.append((pk, str(was), str(now)))
    return differ


def _chunks(goal_ids):
    """(year, up to CHUNK goal ids of that year), the given goals or all."""
    goals = Goal.objects.all() if goal_ids is None else Goal.objects.filter(pk__in=goal_ids)
    by_year: dict[int, list[int]] = defaultdict(list)
    # Chunks follow scorecards, so each chunk reads the values of few units.
    for pk, year in goals.order_by("scorecard__year", "scorecard_id", "pk").values_list(
        "pk", "scorecard__year"
    ):
        by_year[year].append(pk)
    for year, ids in by_year.items():
        for start in range(0, len(ids), CHUNK):
            yield year, ids[start : start + CHUNK]


def _computed(goal_ids: list[int], year: int) -> dict[int, tuple[str, str]]:
    """{goal id: (suggested status, assessed status or "")}, as a page computes them."""
    results = evaluate_goals(goal_ids, year=year, status_only=True)
    assessed: dict[int, str] = {}
    for pk, value in (
        Assessment.objects.filter(goal_id__in=goal_ids, occasion__year=year)
        .order_by("occasion__end_month")
        .values_list("goal_id", "status")
    ):
        assessed[pk] = value  # the latest occasion's, read last
    return {
        pk: (str(result.suggested), str(assessed_status(assessed.get(pk)) or ""))
        for pk, result in results.items()
    }


def _store(computed: dict[int, tuple[str, str]]) -> None:
    """Write the statuses as one upsert (INSERT … ON CONFLICT DO UPDATE).

    Two writers refreshing the same goals at once (values of sibling units saved together) must
    both succeed: a delete followed by an insert let the second insert collide with the first's
    rows and lose the whole write. Rows go in goal order so concurrent upserts take their row
    locks in the same order and cannot deadlock.
    """
    if not computed:
        return
    now = timezone.now()
    GoalStatus.objects.bulk_create(
        [
            GoalStatus(goal_id=pk, status=computed[pk][0], assessed=computed[pk][1], updated_at=now)
            for pk in sorted(computed)
        ],
        update_conflicts=True,
        unique_fields=["goal"],
        update_fields=["status", "assessed", "updated_at"],
    )


# ── The roll-ups' versions, for caching them ────────────────────────────────────────────────
# Rows kept: pruning moves the versions of the scorecards whose oldest rows go (a cold page
# once), so enough to span a day's writes at a time, few enough to count in a blink.
KEEP_CHANGES = 5000
# Each worker keeps its own (settings.CACHES["rollups"], in memory): the versions read from the
# database decide what is current, so workers need not share, and a page view writes nothing.
rollup_cache = caches["rollups"]


def rollup_changed(scorecard_ids=None) -> None:
    """Record, in the caller's transaction, that roll-ups may have changed: those cached for the
    given scorecards (``cached_until_change``), or every one when None.

    A change without a scorecard is what the previous release writes too (it does not know the
    column), so its writes still reach every cache of this one.
    """
    scopes = sorted(set(scorecard_ids)) if scorecard_ids is not None else [None]
    if not scopes:
        return
    rows = RollupChange.objects.bulk_create([RollupChange(scorecard=pk) for pk in scopes])
    newest = max(row.pk or 0 for row in rows)
    if newest and (newest - len(rows)) // KEEP_CHANGES != newest // KEEP_CHANGES:
        _prune(newest)


def _prune(newest: int) -> None:
    """Drop old rows, but keep the newest of each scope (each scorecard, and "every scorecard").
    A scope left without rows would read as it did before its first change, so a roll-up cached
    back then could be served again; the newest change without a scorecard also makes every
    version name the database it was read from (its random token), after ids start over."""
    from django.db.models import Max

    newest_of_each = RollupChange.objects.values("scorecard").annotate(last=Max("pk"))
    keep = set(newest_of_each.values_list("last", flat=True))
    RollupChange.objects.filter(pk__lte=newest - KEEP_CHANGES).exclude(pk__in=keep).delete()


def goals_refreshed(goal_ids, moved) -> None:
    """Record which scorecards' cached roll-ups the refresh of ``goal_ids`` may have changed.

    The refreshed goals' own scorecards: what the overview caches read (values, targets,
    assessments) reached those goals, or they would not have been refreshed. And, for the goals
    whose stored status ``moved``, every scorecard with a goal they contribute to at any depth:
    those count them in their chain roll-ups. A write below a city goal that moves no status
    leaves the city's cached roll-ups alone.
    """
    goal_ids = set(goal_ids)
    above = upward_goal_ids(moved) if moved else set()
    rollup_changed(
        Goal.objects.filter(pk__in=goal_ids | above)
        .order_by()
        .values_list("scorecard_id", flat=True)
        .distinct()
    )


def links_changed(goal_ids) -> None:
    """Chain links between these goals were added or removed: the scorecards of the goals and of
    every goal above them count a different chain now."""
    goal_ids = set(goal_ids)
    rollup_changed(
        Goal.objects.filter(pk__in=goal_ids | upward_goal_ids(goal_ids))
        .order_by()
        .values_list("scorecard_id", flat=True)
        .distinct()
    )


def upward_goal_ids(goal_ids) -> set[int]:
    """Every goal the given goals contribute to, at any depth: one query a level of the chain."""
    through = Goal.contributes_to.through
    seen: set[int] = set()
    frontier = set(goal_ids)
    while frontier:
        parents = set(
            through.objects.filter(from_goal__in=frontier).values_list("to_goal", flat=True)
        )
        frontier = parents - seen
        seen |= parents
    return seen


def rollup_version() -> str:
    """Changes whenever any change recorded by ``rollup_changed`` commits, in one query.

    The newest row's token tells apart ids used again (after a restore or a rolled-back test);
    the number of rows moves when an older transaction commits after a newer one; the oldest id
    moves when rows are pruned.
    """
    table = connection.ops.quote_name(RollupChange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(id), COUNT(*), (SELECT token FROM {table} ORDER BY id DESC LIMIT 1) "  # noqa: S608 - the table's name only
            f"FROM {table}"
        )
        oldest, rows, token = cursor.fetchone()
    return f"{oldest}.{rows}.{token}"


def scoped_version(scorecard_ids) -> str:
    """The version of the roll-ups cached for these scorecards, in one query: moves when a
    change recorded for one of them, or for every scorecard, commits.

    Per scope (each scorecard, and "every scorecard") the same three figures as
    ``rollup_version``: the oldest id (pruning), the number of rows (an older transaction
    committing after a newer one) and the newest row's token (ids used again).
    """
    ids = sorted({int(pk) for pk in scorecard_ids})
    table = connection.ops.quote_name(RollupChange._meta.db_table)
    column = connection.ops.quote_name(RollupChange._meta.get_field("scorecard").column)
    wanted = f" OR {column} IN ({', '.join(['%s'] * len(ids))})" if ids else ""
    sql = (
        f"SELECT scope.card, scope.oldest, scope.n, newest.token FROM ("  # noqa: S608 - names and placeholders
        f"SELECT {column} AS card, MIN(id) AS oldest, COUNT(*) AS n, MAX(id) AS last "
        f"FROM {table} WHERE {column} IS NULL{wanted} GROUP BY {column}"
        f") AS scope JOIN {table} AS newest ON newest.id = scope.last"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        found = sorted(cursor.fetchall(), key=lambda row: (row[0] is not None, row[0] or 0))
    return ";".join(f"{card}.{oldest}.{n}.{token}" for card, oldest, n, token in found)


def cached_contributor_status_counts(
    root_ids, *, visible_units: set[int] | None, scorecard_ids
) -> dict:
    """``contributor_status_counts``, kept until a change below the roots is recorded.

    Counting a city's chain reads every goal below the city's goals, so the city's page would
    grow with the city; between changes the answer is the same for everyone who sees the same
    scorecards, so it is counted once per version and visibility. ``scorecard_ids``: the roots'
    scorecards (a status moved below a root records a change for the root's scorecard).
    """
    roots = sorted(root_ids)
    if not roots:
        return {}
    return cached_until_change(
        "rollup",
        (roots, visible_units),
        lambda: contributor_status_counts(roots, visible_units=visible_units),
        scorecard_ids=scorecard_ids,
    )


def cached_until_change(name: str, parts: tuple, compute, *, scorecard_ids, cache=None):
    """``compute()``, cached until a change is recorded for one of ``scorecard_ids`` or for every
    scorecard (``rollup_changed``, ``goals_refreshed``, ``links_changed``).

    For answers about goals of ``scorecard_ids`` that depend only on the chain below them, the
    goals' stored statuses, what their own status reads (values, targets, metrics, indicators,
    assessments, occasions: each refreshes the goals reading it), goals, scorecards and units.
    ``parts`` must name everything else the answer depends on (e.g. the units a user may see).
    ``cache``: another cache than the roll-ups' (the API's, so that paging does not evict them).
    """
    cache = rollup_cache if cache is None else cache
    normalised = repr(tuple(sorted(p) if isinstance(p, set) else p for p in parts))
    digest = hashlib.sha256(normalised.encode()).hexdigest()
    # Hashed: a page's scorecards make a version too long for some cache backends' keys.
    version = hashlib.sha256(scoped_version(scorecard_ids).encode()).hexdigest()
    key = f"{name}:{version}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, 3600)
    return found


def cached_statuses_at(goal_ids, point: FollowUpPoint, *, scorecard_ids) -> Statuses:
    """``statuses_at``, kept until a change is recorded for the goals' scorecards
    (``scorecard_ids``).

    Everything a goal's status reads (its metrics, indicators, targets, the values of its unit
    and, for an aggregating indicator, of the units below, last year's values, the unit tree)
    refreshes that goal when it changes, and the refresh records a change for the goal's
    scorecard (``goals_refreshed``) whether or not the stored status moved; so that scorecard's
    version covers the answer. The day is in the key: which units are active, and the month a
    year without an occasion is read up to, depend on it.
    """
    ids = sorted(goal_ids)
    occasion = point.occasion
    at = (point.year, point.month, occasion.pk if occasion else None)
    return cached_until_change(
        "statuses-at",
        (ids, at, date.today().isoformat()),
        lambda: statuses_at(ids, point),
        scorecard_ids=scorecard_ids,
    )


def contributor_status_counts(root_ids, *, visible_units: set[int] | None) -> dict[int, dict]:
    """{root goal id: {(Status, assessed?): count}} over every goal below each root, in one query
    (``status.Rollup.of`` reads it).

    Counts the stored statuses in the database rather than loading thousands of goals.
    ``visible_units`` limits draft scorecards to those units (None: all; see access).
    """
    result: dict[int, dict] = {pk: {} for pk in root_ids}
    if not root_ids:
        return result
    cte, cte_params = chain_cte(root_ids)
    q = connection.ops.quote_name
    visible, visible_params = "1 = 1", []
    if visible_units is not None:
        visible = "card.status IN (%s, %s)"
        visible_params = [ScorecardStatus.ADOPTED, ScorecardStatus.ARCHIVED]
        if visible_units:
            visible = f"({visible} OR card.unit_id IN ({', '.join(['%s'] * len(visible_units))}))"
            visible_params += list(visible_units)
    sql = f"""{cte}
        SELECT chain.root_id, {COUNTED_STATUS}, {WAS_ASSESSED}, COUNT(DISTINCT chain.goal_id)
        FROM chain
        JOIN {q(Goal._meta.db_table)} AS goal ON goal.id = chain.goal_id
        JOIN {q(Scorecard._meta.db_table)} AS card ON card.id = goal.scorecard_id
        LEFT JOIN {q(GoalStatus._meta.db_table)} AS stored ON stored.goal_id = chain.goal_id
        WHERE chain.goal_id <> chain.root_id AND {visible}
        GROUP BY chain.root_id, {COUNTED_STATUS}, {WAS_ASSESSED}
    """  # noqa: S608 - only table names and placeholders are formatted in
    params = [*cte_params, Status.NO_VALUE, *visible_params, Status.NO_VALUE]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for root_id, status, assessed, count in cursor.fetchall():
            result[root_id][(Status(status), bool(assessed))] = count
    return result


# A goal counts with its owners' assessed status where it has one, else with its suggestion
# (``status.Rollup``); a goal without a stored row yet counts as "Utfall saknas".
COUNTED_STATUS = "COALESCE(NULLIF(stored.assessed, ''), stored.status, %s)"
WAS_ASSESSED = "CASE WHEN stored.assessed <> '' THEN 1 ELSE 0 END"
