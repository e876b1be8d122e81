"""Caches scoped to what changed (issue #16.3): a write invalidates the cached roll-ups and
overview of the scorecards it touches — its own, and those above a goal whose status moved —
and no cached answer is ever stale.

Hypothesis applies random sequences of writes (values in any unit, targets, indicator fields,
units moved or deactivated, chain links added and removed either way, assessments, a scorecard
made a draft; and what the scorecard page draws beside the statuses: strategies, forecasts,
marks, perspectives, analyses, occasions, decisions and the names of units, indicators and
people) to a small city with two branches, filling every cache before each write, and checks
after every write that each cached answer, and each scorecard page drawn from the cache for two
readers with different rights, equals a fresh one.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
    make_unit,
)
from followup.evaluation import FollowUpPoint, statuses_at
from followup.models import Assessment, FollowUpOccasion, Forecast, Measurement, RollupChange
from followup.overview import (
    cached_missing,
    cached_statuses_then,
    missing_indicators,
    statuses_then,
)
from followup.rollup import (
    cached_contributor_status_counts,
    cached_statuses_at,
    cached_until_change,
    contributor_status_counts,
    rollup_cache,
    scoped_version,
)
from followup.tests.test_never_stale import EDITS, _apply, _tree
from organisation.models import Role, RoleAssignment, UnitKind
from scorecards.chain import level_statuses
from scorecards.models import (
    ChangeAfterAdoption,
    Comparator,
    Frequency,
    Goal,
    Perspective,
    ScorecardStatus,
    Strategy,
)
from scorecards.views import _drawn_tree

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    """Undoes one example's city, so the next starts from nothing (ids are used again on
    SQLite, while the cache lives on: the versions must tell the examples apart)."""


def _city():
    """``test_never_stale``'s tree (kommun ← nämnd ← enhet 0 ← enhet 1, goals linked in a line)
    and a second branch: nämnd 2 and its enhet, their goals linked to each other only."""
    t = _tree()
    city = t["units"][0]
    board2 = make_unit("Nämnden 2", parent=city, kind=UnitKind.COMMITTEE)
    unit2 = make_unit("Enhet 2", parent=board2)
    for unit in (board2, unit2):
        goal = make_goal(make_scorecard(unit), f"Mål för {unit.name}")
        for ind in t["indicators"][:3]:
            metric = make_metric(goal, ind)
            make_target(metric, 10, comparator=Comparator.GTE, tolerance=2)
            t["metrics"].append(metric)
        t["goals"].append(goal)
        t["units"].append(unit)
    t["goals"][5].contributes_to.add(t["goals"][4])
    # The second reader: an editor of the nämnd, who sees its drafts and edits it and below.
    t["editor"] = get_user_model().objects.create_user("redaktor", first_name="Rut")
    RoleAssignment.objects.create(user=t["editor"], unit=t["units"][1], role=Role.EDITOR)
    return t


GOALS = st.integers(0, 5)
MORE = st.one_of(
    EDITS,
    st.tuples(
        st.just("value2"),
        st.integers(5, 6),
        st.integers(0, 3),
        st.sampled_from([4, 12]),
        st.integers(0, 20),
    ),  # fmt: skip
    st.tuples(st.just("link"), GOALS, GOALS),
    st.tuples(st.just("unlink_one"), GOALS, GOALS),
    st.tuples(st.just("link_from_above"), GOALS, GOALS),
    st.tuples(st.just("draft"), GOALS, st.booleans()),
)
# What the scorecard page draws beside the statuses.
WORDS = st.sampled_from(["Alfa", "Beta", "Gamma"])
DRAWN = st.one_of(
    st.tuples(st.just("strategy"), GOALS, st.sampled_from(["add", "edit", "delete"]), WORDS),
    st.tuples(st.just("forecast"), st.integers(0, 6), st.integers(0, 2), st.integers(0, 20)),
    st.tuples(st.just("mark"), GOALS, WORDS),
    st.tuples(st.just("perspective"), st.integers(0, 3), WORDS),
    st.tuples(st.just("card_perspective"), GOALS, st.booleans()),
    st.tuples(st.just("analysis"), GOALS, WORDS),
    st.tuples(st.just("occasion"), WORDS, st.booleans()),
    st.tuples(st.just("unit_name"), st.integers(0, 6), WORDS),
    st.tuples(st.just("indicator_name"), st.integers(0, 2), WORDS),
    st.tuples(st.just("user_name"), WORDS),
    st.tuples(st.just("decision"), st.integers(0, 11), WORDS),
    st.tuples(st.just("goal_title"), GOALS, WORDS),
)


def _apply_drawn(t, edit) -> None:  # noqa: C901 - one branch per kind of edit, read as a table
    kind, *args = edit
    goals, units, indicators = t["goals"], t["units"], t["indicators"]
    if kind == "strategy":
        goal, action, text = args
        first = Strategy.objects.filter(goal=goals[goal]).first()
        if action == "add" or first is None:
            Strategy.objects.create(goal=goals[goal], text=text)
        elif action == "edit":
            first.text = text
            first.save()
        else:
            first.delete()
    elif kind == "forecast":
        unit, ind, value = args
        Forecast.objects.update_or_create(
            indicator=indicators[ind], unit=units[unit], year=2026, month=4,
            defaults={"value": Decimal(value)},
        )  # fmt: skip
    elif kind == "mark":
        goal = goals[args[0]]
        ChangeAfterAdoption.objects.create(
            scorecard=goal.scorecard, goal=goal, kind="goal", what=args[1], reason="Skäl",
            by=t["editor"],
        )  # fmt: skip
    elif kind == "perspective":
        perspective = Perspective.objects.order_by("pk")[args[0]]
        perspective.name = args[1]
        perspective.save()
    elif kind == "card_perspective":
        # One without goals: the edit form keeps every perspective the card's goals are in.
        card = goals[args[0]].scorecard
        perspective = Perspective.objects.exclude(goals__scorecard=card).order_by("pk").first()
        (card.perspectives.add if args[1] else card.perspectives.remove)(perspective)
    elif kind == "analysis":
        Assessment.objects.update_or_create(
            goal=goals[args[0]], occasion=t["occ"], defaults={"status": "met", "analysis": args[1]}
        )
    elif kind == "occasion":
        name, new = args
        if new:
            FollowUpOccasion.objects.get_or_create(
                year=2026,
                kind="tertial",
                end_month=8,
                defaults={"name": name, "deadline": date(2026, 9, 15)},
            )
        else:
            t["occ"].name = name
            t["occ"].save()
    elif kind in ("unit_name", "indicator_name", "goal_title"):
        obj = {"unit_name": units, "indicator_name": indicators, "goal_title": goals}[kind][args[0]]
        obj.refresh_from_db()
        setattr(obj, "title" if kind == "goal_title" else "name", args[1])
        obj.save()
    elif kind == "user_name":
        t["editor"].first_name = args[0]
        t["editor"].save()
    elif kind == "decision":
        target = t["metrics"][args[0]].targets.get()
        target.decided_by = args[1]
        target.save()


def _apply_more(t, edit) -> None:
    kind, *args = edit
    goals = t["goals"]
    if kind in DRAWN_KINDS:
        _apply_drawn(t, edit)
    elif kind == "value2":
        unit, ind, month, value = args
        Measurement.objects.update_or_create(
            indicator=t["indicators"][ind], unit=t["units"][unit], year=2026, month=month,
            defaults={"value": Decimal(value)},
        )  # fmt: skip
    elif kind == "link" and args[0] != args[1]:
        goals[args[0]].contributes_to.add(goals[args[1]])
    elif kind == "unlink_one":
        goals[args[0]].contributes_to.remove(goals[args[1]])
    elif kind == "link_from_above" and args[0] != args[1]:
        goals[args[1]].contributions.add(goals[args[0]])  # the reverse side of the same link
    elif kind == "draft":
        card = goals[args[0]].scorecard
        card.refresh_from_db()
        card.status = ScorecardStatus.DRAFT if args[1] else ScorecardStatus.ADOPTED
        card.save()
    elif kind not in ("link", "link_from_above"):
        _apply(t, edit)


DRAWN_KINDS = {
    "strategy", "forecast", "mark", "perspective", "card_perspective", "analysis", "occasion",
    "unit_name", "indicator_name", "user_name", "decision", "goal_title",
}  # fmt: skip
# Scorecards whose pages are compared: the city's, a unit's in the first branch and the second
# nämnd's.
PAGE_GOALS = (0, 2, 4)
_TOKEN = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF token, new on every page


def _pages(t, *, cached: bool) -> dict:
    """Each compared scorecard page as the anonymous reader and the nämnd's editor see it: from
    the cache as it stands, or drawn afresh (the cache emptied first, which fills it again)."""
    if not cached:
        rollup_cache.clear()
    anonymous, editor = Client(), Client()
    editor.force_login(t["editor"])
    found = {}
    for index in PAGE_GOALS:
        path = reverse("scorecard_detail", args=[t["goals"][index].scorecard_id])
        for who, client in (("anonymous", anonymous), ("editor", editor)):
            response = client.get(path)
            found[(who, index)] = _TOKEN.sub("", response.content.decode())
    return found


def _answers(t, *, cached: bool) -> dict:
    """Every cached answer for every scorecard and goal, as the pages ask for them (cached) or
    computed afresh."""
    found = {}
    occasion = t["occ"]
    for goal in Goal.objects.filter(pk__in=[g.pk for g in t["goals"]]).order_by("pk"):
        card, ids = goal.scorecard_id, [goal.pk]
        for visible in (None, set()):
            fresh_counts = lambda v=visible, i=ids: contributor_status_counts(i, visible_units=v)  # noqa: E731
            found[("counts", goal.pk, repr(visible))] = (
                cached_contributor_status_counts(ids, visible_units=visible, scorecard_ids=[card])
                if cached
                else fresh_counts()
            )
        levels = lambda g=goal: level_statuses(g)  # noqa: E731
        tree = lambda g=goal: _drawn_tree(g.pk, None, False)  # noqa: E731 - as the page draws it
        then = lambda i=ids: statuses_then(i, occasion)  # noqa: E731
        missing = lambda c=card: missing_indicators(c, occasion)  # noqa: E731
        point = FollowUpPoint(goal.scorecard.year)
        if cached:  # as scorecards.views.goal_chain and followup.overview ask for them
            levels_now = cached_until_change(
                "chain-levels", (goal.pk, None), levels, scorecard_ids=[card]
            )
            tree_now = cached_until_change(
                "chain-tree-drawn", (goal.pk, None, False), tree, scorecard_ids=[card]
            )
            then_now = cached_statuses_then(ids, occasion, scorecard_ids=[card])
            missing_now = cached_missing(card, occasion)
            statuses_now = cached_statuses_at(ids, point, scorecard_ids=[card])
        else:
            levels_now, tree_now, then_now, missing_now = levels(), tree(), then(), missing()
            statuses_now = statuses_at(ids, point)
        found[("levels", goal.pk)] = levels_now
        found[("tree", goal.pk)] = tree_now
        found[("then", goal.pk)] = then_now
        found[("missing", goal.pk)] = missing_now
        found[("statuses", goal.pk)] = (dict(statuses_now), statuses_now.covers)
    return found


@settings(
    max_examples=25,
    database=None,  # no .hypothesis folder in the checkout; each run explores afresh
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(st.one_of(MORE, DRAWN), min_size=1, max_size=8))
def test_every_cached_answer_equals_a_fresh_one_after_any_writes(db, edits):
    try:
        with transaction.atomic():
            city = _city()
            _pages(city, cached=True)
            for step, edit in enumerate(edits):
                _answers(city, cached=True)  # every cache filled before the write (the pages
                # were filled by the last fresh drawing)
                _apply_more(city, edit)
                cached, fresh = _answers(city, cached=True), _answers(city, cached=False)
                stale = [key for key in fresh if cached[key] != fresh[key]]
                assert not stale, f"stale after step {step} ({edit}): {stale}"
                cached, fresh = _pages(city, cached=True), _pages(city, cached=False)
                stale = [key for key in fresh if cached[key] != fresh[key]]
                assert not stale, f"stale page after step {step} ({edit}): {stale}"
            raise Rollback
    except Rollback:
        pass


# ── A write elsewhere leaves a cached roll-up alone ──────────────────────────────────────────


def _unrelated_goal(world):
    """A goal in a unit below nämnd B, outside the city's chain, reading its own indicator."""
    unit = make_unit("Skola Syd", parent=world.unit_b)
    goal = make_goal(make_scorecard(unit), "Fler elever klarar målen")
    indicator = make_indicator("Behörighet", frequency=Frequency.MONTHLY)
    make_target(make_metric(goal, indicator), 80, comparator=Comparator.GTE)
    return goal, indicator


def _never(*args):
    raise AssertionError("computed again: the cache was dropped")


def test_a_value_in_an_unrelated_unit_leaves_other_cached_rollups_untouched(
    world, chain, count_queries
):
    goal, indicator = _unrelated_goal(world)
    roots = {card: [chain.top.pk] if card == chain.top.scorecard_id else [chain.mid.pk]
             for card in (chain.top.scorecard_id, chain.mid.scorecard_id)}  # fmt: skip
    for card, ids in roots.items():
        cached_contributor_status_counts(ids, visible_units=None, scorecard_ids=[card])
    own_version = scoped_version([goal.scorecard_id])

    Measurement.objects.create(
        indicator=indicator, unit=goal.scorecard.unit, year=2026, month=3, value=50
    )

    assert scoped_version([goal.scorecard_id]) != own_version  # its own scorecard moved
    for card, ids in roots.items():
        key = ("rollup", (sorted(ids), None))
        assert (
            count_queries(lambda c=card, k=key: cached_until_change(*k, _never, scorecard_ids=[c]))
            == 1
        )  # the version only; ``_never`` was not called


def test_a_status_moved_below_reaches_every_scorecard_above_at_once(world, chain):
    """The other side: a value that moves the lowest goal's status drops the cached roll-ups
    of the nämnd and the city above it, and the fresh counts show it."""
    indicator = make_indicator("El", frequency=Frequency.MONTHLY)
    make_target(make_metric(chain.low, indicator), 100, comparator=Comparator.LTE)
    cards = [chain.top.scorecard_id, chain.mid.scorecard_id]
    before = {c: scoped_version([c]) for c in cards}
    counted = cached_contributor_status_counts(
        [chain.top.pk], visible_units=None, scorecard_ids=[chain.top.scorecard_id]
    )
    Measurement.objects.create(
        indicator=indicator, unit=world.unit_a1, year=2026, month=3, value=130
    )
    assert all(scoped_version([c]) != before[c] for c in cards)
    now = cached_contributor_status_counts(
        [chain.top.pk], visible_units=None, scorecard_ids=[chain.top.scorecard_id]
    )
    assert now != counted
    assert now == contributor_status_counts([chain.top.pk], visible_units=None)


def test_the_city_page_right_after_an_unrelated_write_costs_what_a_warm_one_does(
    client, world, chain, count_queries
):
    goal, indicator = _unrelated_goal(world)
    client.get("/")
    warm = count_queries(lambda: client.get("/"))
    Measurement.objects.create(
        indicator=indicator, unit=goal.scorecard.unit, year=2026, month=3, value=50
    )
    assert count_queries(lambda: client.get("/")) == warm  # cold would count the chain again


def test_a_change_without_a_scorecard_drops_every_cache(world, chain):
    """What the previous release writes (it does not know the column), and what structural
    changes and a full refresh write: every scorecard's version moves."""
    cards = [chain.top.scorecard_id, chain.mid.scorecard_id, chain.low.scorecard_id]
    before = {c: scoped_version([c]) for c in cards}
    RollupChange.objects.create()  # as the previous release inserts it: no scorecard
    assert all(scoped_version([c]) != before[c] for c in cards)


def test_pruning_keeps_the_newest_change_for_every_scorecard(world, chain, monkeypatch):
    """Pruning moves versions (old rows go), never keeps one still: and the newest change without
    a scorecard stays, so a version always names its database."""
    from followup import rollup

    monkeypatch.setattr(rollup, "KEEP_CHANGES", 3)
    RollupChange.objects.create()
    global_id = RollupChange.objects.filter(scorecard__isnull=True).latest("pk").pk
    card = chain.top.scorecard_id
    seen = {scoped_version([card])}
    for _ in range(8):
        rollup.rollup_changed([card])
        version = scoped_version([card])
        assert version not in seen
        seen.add(version)
    assert RollupChange.objects.filter(pk=global_id).exists()
    scopes = RollupChange.objects.values("scorecard").distinct().count()
    # The kept ones, the newest of each scope, and those since the prune.
    assert RollupChange.objects.count() <= 3 + scopes + 2


def test_a_scorecard_whose_changes_are_pruned_never_reads_as_before_them(world, chain, monkeypatch):
    """A roll-up cached before a scorecard's first change must not come back once pruning has
    dropped that scorecard's rows among many other scorecards' changes."""
    from followup import rollup

    monkeypatch.setattr(rollup, "KEEP_CHANGES", 3)
    card, other = chain.top.scorecard_id, chain.mid.scorecard_id
    # As after an earlier prune: one change without a scorecard, none for the card.
    newest_global = RollupChange.objects.filter(scorecard__isnull=True).latest("pk").pk
    RollupChange.objects.filter(scorecard__isnull=True).exclude(pk=newest_global).delete()
    RollupChange.objects.filter(scorecard=card).delete()
    before = scoped_version([card])  # what a page cached its roll-up under
    rollup.rollup_changed([card])  # a value for the card
    for _ in range(10):  # then many changes elsewhere, pruned as they come
        rollup.rollup_changed([other])
    assert scoped_version([card]) != before
