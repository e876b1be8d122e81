"""The data floor of each measured page: hand-written SQL that fetches exactly what the page shows,
and nothing a template, a model object or a permission check adds (issue #16).

A page's ``floor_ratio`` is its median time over its floor's, the two requested alternately so
that both see the same load on a shared machine. The floor reads the stored statuses and the
values the page shows; it does not render, check permissions or count through the whole chain
(the pages keep that count cached between changes; the floor counts the contributing goals one
level down). SQL common to SQLite and PostgreSQL.
"""

from collections.abc import Callable

from django.db import connection

Query = tuple[str, list]

CARD = """
SELECT c.id, c.year, c.status, u.id, u.name, p.name
FROM scorecards_scorecard c
JOIN organisation_orgunit u ON u.id = c.unit_id
JOIN scorecards_goalprogramme p ON p.id = c.programme_id
WHERE c.id = %s"""

GOALS = """
SELECT g.id, g.title, g.prioritised, pe.id, pe.name, s.status, s.assessed
FROM scorecards_goal g
JOIN scorecards_perspective pe ON pe.id = g.perspective_id
LEFT JOIN followup_goalstatus s ON s.goal_id = g.id
WHERE g.scorecard_id = %s
ORDER BY pe."order", g."order", g.id"""

METRICS = """
SELECT m.id, m.goal_id, i.id, i.name, i.unit, i.decimals, i.year_value,
       t.comparator, t.value, t.value_high
FROM scorecards_metric m
JOIN scorecards_goal g ON g.id = m.goal_id
JOIN scorecards_indicator i ON i.id = m.indicator_id
LEFT JOIN scorecards_target t ON t.metric_id = m.id AND t.year = %s
WHERE g.scorecard_id = %s
ORDER BY m.goal_id, m."order\""""

# The year's figure of each metric: sum, count and the latest month's value, per indicator.
FIGURES = """
SELECT v.indicator_id, COUNT(*), SUM(v.value), MAX(v.month),
       (SELECT l.value FROM followup_measurement l
        WHERE l.indicator_id = v.indicator_id AND l.unit_id = v.unit_id AND l.year = v.year
        ORDER BY l.month DESC LIMIT 1)
FROM followup_measurement v
WHERE v.unit_id = %s AND v.year = %s AND v.indicator_id IN (
    SELECT m.indicator_id FROM scorecards_metric m
    JOIN scorecards_goal g ON g.id = m.goal_id WHERE g.scorecard_id = %s)
GROUP BY v.indicator_id, v.unit_id, v.year"""

# Contributing goals one level down, counted by their stored (or assessed) status.
CONTRIBUTORS = """
SELECT link.to_goal_id, COALESCE(NULLIF(s.assessed, ''), s.status), COUNT(*)
FROM scorecards_goal_contributes_to link
JOIN scorecards_goal g ON g.id = link.to_goal_id
LEFT JOIN followup_goalstatus s ON s.goal_id = link.from_goal_id
WHERE g.scorecard_id = %s
GROUP BY link.to_goal_id, COALESCE(NULLIF(s.assessed, ''), s.status)"""

CONTRIBUTES_TO = """
SELECT link.from_goal_id, up.id, up.title
FROM scorecards_goal_contributes_to link
JOIN scorecards_goal g ON g.id = link.from_goal_id
JOIN scorecards_goal up ON up.id = link.to_goal_id
WHERE g.scorecard_id = %s"""

STRATEGIES = """
SELECT st.goal_id, st.text FROM scorecards_strategy st
JOIN scorecards_goal g ON g.id = st.goal_id
WHERE g.scorecard_id = %s ORDER BY st.goal_id, st."order\""""

CHAIN = """
WITH RECURSIVE chain(goal_id, depth) AS (
    SELECT CAST(%s AS BIGINT), 0
    UNION
    SELECT link.from_goal_id, chain.depth + 1
    FROM scorecards_goal_contributes_to link JOIN chain ON link.to_goal_id = chain.goal_id
    WHERE chain.depth < 16
)
SELECT chain.depth, g.id, g.title, u.name, COALESCE(NULLIF(s.assessed, ''), s.status)
FROM chain
JOIN scorecards_goal g ON g.id = chain.goal_id
JOIN scorecards_scorecard c ON c.id = g.scorecard_id
JOIN organisation_orgunit u ON u.id = c.unit_id
LEFT JOIN followup_goalstatus s ON s.goal_id = g.id
ORDER BY chain.depth, u.name, g.id"""

UPWARD = """
SELECT g.id, g.title, c.year, u.name, p.name, p.vision
FROM scorecards_goal g
JOIN scorecards_scorecard c ON c.id = g.scorecard_id
JOIN organisation_orgunit u ON u.id = c.unit_id
JOIN scorecards_goalprogramme p ON p.id = c.programme_id
WHERE g.id = %s OR g.id IN (
    SELECT to_goal_id FROM scorecards_goal_contributes_to WHERE from_goal_id = %s)"""

# Value entry: every value of the card's indicators this year, with who entered it.
ENTRY_VALUES = """
SELECT v.indicator_id, v.month, v.value, v.comment, v.version, usr.username
FROM followup_measurement v
LEFT JOIN auth_user usr ON usr.id = v.entered_by_id
WHERE v.unit_id = %s AND v.year = %s AND v.indicator_id IN (
    SELECT m.indicator_id FROM scorecards_metric m
    JOIN scorecards_goal g ON g.id = m.goal_id WHERE g.scorecard_id = %s)
ORDER BY v.indicator_id, v.month"""

API_GOALS = """
SELECT g.id, g.scorecard_id, c.unit_id, c.year, g.perspective_id, g.title, g.description,
       g.prioritised, g."order", s.status
FROM scorecards_goal g
JOIN scorecards_scorecard c ON c.id = g.scorecard_id
LEFT JOIN followup_goalstatus s ON s.goal_id = g.id
ORDER BY c.year DESC, c.unit_id, g.scorecard_id, g."order", g.id
LIMIT 50"""

API_GOAL_LINKS = """
SELECT from_goal_id, to_goal_id FROM scorecards_goal_contributes_to
WHERE from_goal_id IN ({ids})"""

API_METRICS = """
SELECT m.id, m.goal_id, g.scorecard_id, c.unit_id, c.year, m.indicator_id, i.code, m.weight,
       m."order", i.year_value, t.id, t.comparator, t.value, t.value_high
FROM scorecards_metric m
JOIN scorecards_goal g ON g.id = m.goal_id
JOIN scorecards_scorecard c ON c.id = g.scorecard_id
JOIN scorecards_indicator i ON i.id = m.indicator_id
LEFT JOIN scorecards_target t ON t.metric_id = m.id AND t.year = c.year
ORDER BY c.year DESC, c.unit_id, m.goal_id, m."order", m.id
LIMIT 50"""

API_METRIC_VALUES = """
SELECT v.indicator_id, v.unit_id, v.month, v.value FROM followup_measurement v
WHERE v.year = %s AND ({pairs})"""


def _run(query: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def scorecard_floor(card: int, year: int, unit: int) -> Callable[[], int]:
    def floor() -> int:
        rows = _run(CARD, [card])
        rows += _run(GOALS, [card])
        rows += _run(METRICS, [year, card])
        rows += _run(FIGURES, [unit, year, card])
        rows += _run(CONTRIBUTORS, [card])
        rows += _run(CONTRIBUTES_TO, [card])
        rows += _run(STRATEGIES, [card])
        return len(rows)

    return floor


def chain_floor(goal: int) -> Callable[[], int]:
    def floor() -> int:
        return len(_run(UPWARD, [goal, goal])) + len(_run(CHAIN, [goal]))

    return floor


def entry_floor(card: int, year: int, unit: int) -> Callable[[], int]:
    def floor() -> int:
        rows = _run(CARD, [card])
        rows += _run(METRICS, [year, card])
        rows += _run(ENTRY_VALUES, [unit, year, card])
        return len(rows)

    return floor


def api_goals_floor() -> int:
    goals = _run(API_GOALS, [])
    ids = [row[0] for row in goals] or [0]
    links = _run(API_GOAL_LINKS.format(ids=", ".join(["%s"] * len(ids))), ids)
    return len(goals) + len(links)


def api_metrics_floor() -> int:
    metrics = _run(API_METRICS, [])
    if not metrics:
        return 0
    pairs = sorted({(row[5], row[3]) for row in metrics})
    clause = " OR ".join(["(v.indicator_id = %s AND v.unit_id = %s)"] * len(pairs))
    params = [metrics[0][4], *[x for pair in pairs for x in pair]]
    return len(metrics) + len(_run(API_METRIC_VALUES.format(pairs=clause), params))


def floors(targets: dict) -> dict[str, Callable[[], int]]:
    """{page name (as ``measure.page_list`` names it): its floor}, for the targets' pages."""
    from scorecards.models import Scorecard

    units = dict(
        Scorecard.objects.filter(
            pk__in=[targets["city_card"], targets["committee_card"], targets["leaf_card"],
                    targets["entry_card"]]
        ).values_list("pk", "unit_id")
    )  # fmt: skip
    year = targets["year"]
    return {
        "city scorecard /": scorecard_floor(
            targets["city_card"], year, units[targets["city_card"]]
        ),
        "committee scorecard": scorecard_floor(
            targets["committee_card"], year, units[targets["committee_card"]]
        ),
        "unit scorecard (level 5)": scorecard_floor(
            targets["leaf_card"], year, units[targets["leaf_card"]]
        ),
        "goal chain of a city goal": chain_floor(targets["city_goal"]),
        "value entry": entry_floor(targets["entry_card"], year, units[targets["entry_card"]]),
        "API goal-list": api_goals_floor,
        "API metric-list": api_metrics_floor,
    }
