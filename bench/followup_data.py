"""What the people of a generated city write at its follow-up occasions (``generate_city``).

A real city's goals do not stop at values: at every occasion whose months have passed the goals'
owners assess them (status, analysis, a deviation comment where they depart from the suggestion,
who assessed), write a summary analysis per scorecard, give a forecast for the whole year per
metric at the delårsrapport, and start improvement actions where goals fall short. Pages read
all of it, so a benchmark or a query-count test on a city without it measures less than a city's
pages do (issue #16.4).

Shares, as a city reports: every goal at the delårsrapport and the årsredovisning, the
prioritised goals at the tertial report; actions on every goal not met, one on goals close to
their target and on one met goal in four. Suggestions follow the real rule
(``evaluate_goals`` at the occasion's month, ``scales.suggest``); one assessment in
``DEPART_EVERY`` departs one step from it, with the comment the rule asks for. Everything is
written as plain rows (``insert_rows``); the caller refreshes the stored statuses afterwards, so
the owners' assessments count in the roll-ups.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from followup import scales
from followup.evaluation import evaluate_goals
from followup.models import (
    Action,
    ActionState,
    Assessment,
    FollowUpOccasion,
    Forecast,
    OccasionKind,
    SummaryAnalysis,
)
from followup.status import Status
from scorecards.models import Goal, Metric, Strategy, YearValue

WRITTEN_MODELS = (Assessment, SummaryAnalysis, Forecast, Action)
DEPART_EVERY = 12  # one assessment in this many departs one step from the suggestion
EVALUATE_BATCH = 1_800  # goals per evaluation, a few hundred scorecards of one year
ASSESSED_KINDS = {OccasionKind.INTERIM, OccasionKind.ANNUAL}  # every goal; a tertial: prioritised

ANALYSES = {
    Status.MET: (
        "Utfallen ligger i nivå med eller bättre än målvärdena. Arbetet enligt verksamhetsplanen "
        "har gett effekt och bedömningen är att målet nås under året.",
        "Samtliga mätetal utvecklas i önskad riktning. Fortsatt fokus på uppföljning i "
        "arbetsplatsträffar och ledningsgrupp.",
    ),
    Status.CLOSE: (
        "Utfallen ligger nära målvärdena men inte i nivå. Vakanser under perioden har påverkat "
        "resultatet; rekryteringar är klara och effekt väntas under hösten.",
        "Utvecklingen går åt rätt håll men långsammare än planerat. Aktiviteterna ses över i "
        "ledningsgruppen.",
    ),
    Status.NOT_MET: (
        "Utfallen ligger klart under målvärdena. Orsakerna är analyserade och åtgärder har "
        "beslutats; resultatet följs upp månadsvis.",
        "Målet bedöms inte nås. Verksamheten har haft högre efterfrågan än budgeterat och "
        "prioriterar om resurserna.",
    ),
}
NO_VALUES = "Utfall saknas för perioden; bedömningen bygger på verksamhetens egen uppföljning."
DEVIATION = (
    "Förslaget bygger på utfallen hittills i år; kända förändringar under resten av året "
    "väger in i bedömningen."
)
FORECAST_TEXT = "Bedömningen följer mätetalens prognoser för helåret."
SUMMARY = (
    "Verksamheten har i huvudsak genomförts enligt plan. Flertalet mål bedöms vara uppfyllda "
    "eller delvis uppfyllda; där målen inte nås har aktiviteter startats. {name}, {occasion}."
)
ACTION_TITLES = (
    "Översyn av arbetssätt och rutiner",
    "Riktad kompetensutveckling för medarbetarna",
    "Förbättrad uppföljning i ledningsgruppen",
    "Dialog med brukare och invånare om behoven",
    "Omfördelning av resurser inom verksamheten",
)
OWNERS = ("Enhetschef", "Verksamhetsutvecklare", "Controller", "Kvalitetssamordnare", "HR-partner")
PROGRESS = {
    ActionState.PLANNED: "",
    ActionState.ONGOING: "Arbetet pågår enligt plan; en första uppföljning är gjord.",
    ActionState.DONE: "Genomförd. Effekten följs upp i nästa rapport.",
    ActionState.CANCELLED: "Avbruten efter beslut i ledningsgruppen; ersatt av annan åtgärd.",
}
# The next step up and down the three-step scale, for an owner departing from the suggestion.
ONE_STEP = {Status.MET: Status.CLOSE, Status.CLOSE: Status.MET, Status.NOT_MET: Status.CLOSE}


def passed_occasions(years, today: date) -> list[FollowUpOccasion]:
    """The occasions of ``years`` whose last month has ended by ``today``."""
    done = (today.year, today.month - 1)
    return [
        o
        for o in FollowUpOccasion.objects.filter(year__in=years).order_by("year", "end_month")
        if (o.year, o.end_month) <= done
    ]


def fill_followup(cards, units, series, value_first_year, authors, today, rng, log) -> dict:
    """Assessments, summaries, forecasts and actions for the generated scorecards; counts."""
    occasions = passed_occasions(sorted({c.year for c in cards}), today)
    year_of = {c.pk: c.year for c in cards}
    unit_of = {c.pk: c.unit_id for c in cards}
    goals_by_year: dict[int, list[tuple[int, int, bool]]] = defaultdict(list)
    for pk, card, prioritised in Goal.objects.order_by("scorecard_id", "pk").values_list(
        "pk", "scorecard_id", "prioritised"
    ):
        goals_by_year[year_of[card]].append((pk, card, prioritised))
    scale = scales.get_scale()
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    latest: dict[int, tuple[Status, int | None]] = {}  # goal → (assessed, a metric falling short)
    assessments = 0
    for occasion in occasions:
        rows = []
        everyone = occasion.kind in ASSESSED_KINDS
        chosen = [g for g in goals_by_year[occasion.year] if everyone or g[2]]
        for start in range(0, len(chosen), EVALUATE_BATCH):
            batch = chosen[start : start + EVALUATE_BATCH]
            results = evaluate_goals(
                [g[0] for g in batch], year=occasion.year, month=occasion.end_month,
                status_only=True,
            )  # fmt: skip
            for pk, card, _prioritised in batch:
                result = results[pk]
                row, status = _assessment(
                    pk, occasion, result, scale, authors.get(unit_of[card]), stamp, rng
                )
                rows.append(row)
                short = next((r.metric.pk for r in result.metrics if r.status != Status.MET), None)
                latest[pk] = (status, short)
        with transaction.atomic():
            insert_rows(Assessment, ASSESSMENT_FIELDS, rows)
        assessments += len(rows)
        log(f"{len(rows):,} assessments at {occasion.name} {occasion.year}")
    summaries = _summaries(cards, occasions, stamp)
    forecasts = _forecasts(cards, occasions, series, value_first_year, authors, stamp, rng)
    names = {u.pk: u.short_name or u.name for u in units}
    actions = _actions(latest, year_of, {c.pk: names[c.unit_id] for c in cards}, today, rng)
    log(f"{summaries:,} summary analyses, {forecasts:,} forecasts, {actions:,} actions")
    return {
        "assessments": assessments,
        "summaries": summaries,
        "forecasts": forecasts,
        "actions": actions,
    }


ASSESSMENT_FIELDS = [
    "goal",
    "occasion",
    "suggested",
    "status",
    "analysis",
    "forecast",
    "forecast_status",
    "deviation_comment",
    "assessed_by",
    "updated_at",
    "version",
]


def _assessment(goal_id, occasion, result, scale, author, stamp, rng) -> tuple[tuple, Status]:
    """One assessment row as ``save_assessment`` would store it, and the status chosen."""
    suggested = scales.suggest(result, scale).value
    status, comment = suggested, ""
    if suggested == scales.NOT_ASSESSED:  # nothing to go by: the owners judge it close
        status = Status.CLOSE.value
    elif rng.randrange(DEPART_EVERY) == 0 and Status(suggested) in ONE_STEP:
        status, comment = ONE_STEP[Status(suggested)].value, DEVIATION
    if scale.choice(status) is None:  # a scale of its own: its suggestion stands
        status, comment = suggested, ""
    chosen = Status(status) if status in ANALYSES else Status.CLOSE
    analysis = NO_VALUES if suggested == scales.NOT_ASSESSED else rng.choice(ANALYSES[chosen])
    interim = occasion.kind == OccasionKind.INTERIM  # the year's end is judged at the delår
    row = (
        goal_id, occasion.pk, suggested, status, analysis,
        FORECAST_TEXT if interim else "", status if interim else "", comment,
        author, stamp, 1,
    )  # fmt: skip
    return row, chosen


def _summaries(cards, occasions, stamp) -> int:
    """A summary analysis per scorecard at the delårsrapport and the årsredovisning."""
    rows = [
        (card.pk, o.pk, SUMMARY.format(name=card.unit.name, occasion=o.name), stamp)
        for o in occasions
        if o.kind in ASSESSED_KINDS
        for card in cards
        if card.year == o.year
    ]
    with transaction.atomic():
        insert_rows(SummaryAnalysis, ["scorecard", "occasion", "text", "updated_at"], rows)
    return len(rows)


def _forecasts(cards, occasions, series, value_first_year, authors, stamp, rng) -> int:
    """Prognos helår for every metric of every scorecard at each year's delårsrapport."""
    interim = {o.year: o for o in occasions if o.kind == OccasionKind.INTERIM}
    cards_of = {(c.unit_id, c.year): c for c in cards if c.year in interim}
    pairs = (
        Metric.objects.filter(goal__scorecard__year__in=list(interim))
        .values_list("goal__scorecard__unit_id", "goal__scorecard__year", "indicator_id",
                     "indicator__year_value", "indicator__decimals")
        .distinct()
    )  # fmt: skip
    rows = []
    for unit, year, indicator, year_value, decimals in pairs:
        if (unit, year) not in cards_of:
            continue
        s = series[(unit, indicator)]
        expected = s.level + s.drift * (year - value_first_year + 0.5) + rng.gauss(0, s.noise)
        if year_value == YearValue.SUM:
            expected *= 12
        value = f"{max(expected, 0) if s.level >= 0 else expected:.{decimals}f}"
        comment = "Enligt utfallen hittills i år." if rng.randrange(4) else ""
        rows.append(
            (indicator, unit, year, interim[year].end_month, value, comment, "manual",
             authors.get(unit), stamp, 1)
        )  # fmt: skip
    with transaction.atomic():
        insert_rows(Forecast, FORECAST_FIELDS, rows)
    return len(rows)


FORECAST_FIELDS = [
    "indicator",
    "unit",
    "year",
    "month",
    "value",
    "comment",
    "source",
    "entered_by",
    "updated_at",
    "version",
]
ACTION_FIELDS = [
    "goal",
    "strategy",
    "metric",
    "title",
    "description",
    "owner",
    "start_date",
    "due_date",
    "state",
    "progress",
]


def _actions(latest, year_of_card, unit_name_of_card, today, rng) -> int:
    """Improvement actions on goals that fall short (and a few that do not), per the goal's
    latest assessment of its year: two on a goal not met, one on a goal close, one on a met goal
    in four. Last year's are mostly done; this year's planned, ongoing, some done."""
    strategy = dict(Strategy.objects.order_by("-pk").values_list("goal_id", "pk"))
    card_of = dict(Goal.objects.values_list("pk", "scorecard_id"))
    day = connection.ops.adapt_datefield_value
    rows = []
    for goal_id, (status, metric) in latest.items():
        wanted = {Status.NOT_MET: 2, Status.CLOSE: 1}.get(status, int(rng.randrange(4) == 0))
        year = year_of_card[card_of[goal_id]]
        for n in range(wanted):
            start = date(year, 1 + rng.randrange(6), 1 + rng.randrange(28))
            due = start + timedelta(days=60 + rng.randrange(300))
            state = _action_state(year, due, today, rng)
            rows.append(
                (goal_id, strategy.get(goal_id), metric if n == 0 else None,
                 ACTION_TITLES[(goal_id + n) % len(ACTION_TITLES)],
                 "Åtgärd för att nå målet, beslutad i verksamhetens ledningsgrupp.",
                 f"{OWNERS[(goal_id + n) % len(OWNERS)]}, {unit_name_of_card[card_of[goal_id]]}"[:200],
                 day(start), day(due), state.value, PROGRESS[state])
            )  # fmt: skip
    with transaction.atomic():
        insert_rows(Action, ACTION_FIELDS, rows)
    return len(rows)


def _action_state(year: int, due: date, today: date, rng) -> ActionState:
    roll = rng.random()
    if year < today.year:
        return (
            ActionState.DONE
            if roll < 0.75
            else ActionState.CANCELLED
            if roll < 0.85
            else (ActionState.ONGOING)
        )
    if due < today:  # most are finished by their date; the rest show as overdue
        return ActionState.DONE if roll < 0.7 else ActionState.ONGOING
    return ActionState.PLANNED if roll < 0.3 else ActionState.ONGOING


def insert_rows(model, fields, rows) -> None:
    # Imported here: bench.generate imports this module while it loads.
    from bench.generate import insert_rows as insert

    insert(model, fields, rows)
