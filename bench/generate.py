"""Synthetic cities at named scales, for measuring Styrkort as a city grows (``generate_city``).

The shape follows a large Swedish city: the city, its committees, boards and companies, one
administration under each, departments and units — five levels. Every unit has one adopted
scorecard per year with goals in the four perspectives; each goal contributes to the goal in the
same place of the parent unit's scorecard, so the goal chain runs through every level. Indicators
are shared: ten common ones (sick leave, budget …) in every scorecard, the rest drawn from a slice
of the pool that belongs to the unit's committee. Every metric has monthly values for the years
asked for, up to the last completed month, and a target per scorecard year near its level, so
statuses are a realistic mix of met, close and not met.

Everything is written with bulk inserts: ``bulk_create`` for the structure, and for the values a
plain multi-row insert on SQLite or ``COPY`` on PostgreSQL. No history rows and no signals are
written (as for any bulk load), so the stored goal statuses are refreshed once at the end.
The same scale and seed give the same city.
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.followup_data import WRITTEN_MODELS, fill_followup
from demo.city import DEFAULT_PERSPECTIVES, PERSPECTIVE_DESCRIPTIONS
from followup.models import FollowUpOccasion, Measurement, OccasionKind
from followup.rollup import refresh_goal_statuses
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind
from scorecards.models import (
    Aggregation,
    Comparator,
    Direction,
    Frequency,
    Goal,
    GoalProgramme,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Source,
    Strategy,
    Target,
    YearValue,
)

# Known on purpose: generated cities are for measuring, never for real data.
BENCH_PASSWORD = "styrkort-bench"  # noqa: S105
ADMIN_USERNAME = "bench-admin"
REPORTER_PREFIX = "bench-rapportor-"
COMMON_INDICATORS = 10  # in every scorecard


@dataclass(frozen=True)
class Scale:
    name: str
    committees: int  # committees, boards and companies under the city
    departments: int  # departments in each committee's administration
    units_per_department: int
    goals: int  # per scorecard, spread evenly over the four perspectives
    metrics: int  # per scorecard, each a different indicator
    indicators: int  # shared indicator definitions
    years: int  # years of monthly values, ending with the last completed month
    scorecard_years: int  # years with scorecards, ending with the current year
    reporters: int  # reporter accounts, each on its own unit at the lowest level

    @property
    def unit_count(self) -> int:
        per_committee = 2 + self.departments * (1 + self.units_per_department)
        return 1 + self.committees * per_committee


SCALES = {
    # A handful of units for the tests: still five levels deep.
    "tiny": Scale("tiny", 2, 1, 2, 4, 6, 16, 2, 2, 2),
    "medium": Scale("medium", 5, 3, 5, 12, 30, 300, 10, 2, 20),
    "large": Scale("large", 25, 5, 7, 12, 30, 300, 10, 2, 50),
}
SCALE_NAMES = ["tiny", "small", "medium", "large"]  # small is the demo city (demo.city)

K = UnitKind
# The city's bodies: one board, committees, and companies last (as in a real city's list).
BODIES = [
    ("Kommunstyrelsen", K.BOARD),
    ("Barn- och utbildningsnämnden", K.COMMITTEE),
    ("Gymnasie- och vuxenutbildningsnämnden", K.COMMITTEE),
    ("Socialnämnden", K.COMMITTEE),
    ("Vård- och omsorgsnämnden", K.COMMITTEE),
    ("Arbetsmarknadsnämnden", K.COMMITTEE),
    ("Kulturnämnden", K.COMMITTEE),
    ("Idrotts- och fritidsnämnden", K.COMMITTEE),
    ("Miljönämnden", K.COMMITTEE),
    ("Stadsbyggnadsnämnden", K.COMMITTEE),
    ("Byggnadsnämnden", K.COMMITTEE),
    ("Fastighetsnämnden", K.COMMITTEE),
    ("Trafiknämnden", K.COMMITTEE),
    ("Servicenämnden", K.COMMITTEE),
    ("Räddningsnämnden", K.COMMITTEE),
    ("Överförmyndarnämnden", K.COMMITTEE),
    ("Funktionsstödsnämnden", K.COMMITTEE),
    ("Förskolenämnden", K.COMMITTEE),
    ("Stadsdelsnämnd Norr", K.COMMITTEE),
    ("Stadsdelsnämnd Söder", K.COMMITTEE),
    ("Stadsdelsnämnd Väster", K.COMMITTEE),
    ("Exempelstadens Bostäder AB", K.COMPANY),
    ("Exempelstadens Energi AB", K.COMPANY),
    ("Exempelstadens Hamn AB", K.COMPANY),
    ("Exempelstadens Vatten AB", K.COMPANY),
]

H, L, R = Direction.HIGHER, Direction.LOWER, Direction.RANGE
# (name, unit, direction, decimals, typical level, how a year's value is formed)
THEMES = [
    ("Sjukfrånvaro", "%", L, 1, 6.5, YearValue.MEAN),
    ("Resultat i förhållande till budget", "%", R, 1, 0.5, YearValue.LAST),
    ("Hållbart medarbetarengagemang", "index", H, 0, 79, YearValue.LAST),
    ("Andel heltidsanställda", "%", H, 1, 82, YearValue.LAST),
    ("Personalomsättning", "%", L, 1, 11, YearValue.LAST),
    ("Energianvändning i lokaler", "kWh/m²", L, 0, 150, YearValue.LAST),
    ("Andel ärenden handlagda inom tidsgränsen", "%", H, 1, 86, YearValue.MEAN),
    ("Nöjd kund-index", "index", H, 0, 72, YearValue.MEAN),
    ("Andel digitala ärenden", "%", H, 1, 48, YearValue.LAST),
    ("Klimatpåverkan från inköp", "kg CO2e/kg", L, 2, 1.8, YearValue.MEAN),
    ("Antal besökare", "besökare", H, 0, 1800, YearValue.SUM),
    ("Kostnad per brukare", "kr", L, 0, 12500, YearValue.MEAN),
    ("Handläggningstid", "dagar", L, 1, 21, YearValue.MEAN),
    ("Andel nöjda brukare", "%", H, 1, 84, YearValue.MEAN),
    ("Antal genomförda tillsynsbesök", "st", H, 0, 40, YearValue.SUM),
    ("Andel elever med godkända betyg", "%", H, 1, 77, YearValue.LAST),
    ("Antal deltagare", "deltagare", H, 0, 300, YearValue.LAST),
    ("Fossilfria fordon", "%", H, 1, 70, YearValue.LAST),
    ("Avbrottstid", "minuter", L, 0, 25, YearValue.MEAN),
    ("Andel återvunnet material", "%", H, 1, 55, YearValue.LAST),
]
AREAS = [
    "förskola", "grundskola", "gymnasium", "vuxenutbildning", "äldreomsorg", "hemtjänst",
    "funktionsstöd", "individ- och familjeomsorg", "arbetsmarknad", "kultur", "idrott och fritid",
    "miljötillsyn", "bygglov", "planering", "fastigheter", "gata och trafik", "vatten", "energi",
    "räddningstjänst", "service", "bostäder", "hamn", "IT", "ekonomi", "HR",
]  # fmt: skip

# The city's goals, three per perspective; units' goals are their own versions of these.
CITY_GOALS = {
    "medborgare": [
        "Invånarna ska få en snabb och tillgänglig service",
        "Alla barn och unga ska ha goda förutsättningar att lyckas",
        "Staden ska vara trygg och levande i alla stadsdelar",
    ],
    "ekonomi": [
        "Staden ska ha en långsiktigt hållbar ekonomi",
        "Skattepengarna ska användas effektivt",
        "Investeringar ska ge största möjliga nytta",
    ],
    "organisation": [
        "Staden ska vara en attraktiv arbetsgivare",
        "Medarbetarna ska ha en hälsosam arbetsmiljö",
        "Arbetssätten ska utvecklas med digitaliseringens möjligheter",
    ],
    "framtid": [
        "Staden ska ligga i framkant i miljö- och klimatfrågor",
        "Staden ska växa hållbart med bostäder för alla",
        "Energianvändningen ska minska",
    ],
}


@dataclass
class Series:
    """One (unit, indicator) series: where it starts and how it drifts."""

    level: float
    drift: float  # per year
    noise: float


class Progress:
    def __init__(self, write: Callable[[str], None]):
        self.write = write
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        self.write(f"[{time.perf_counter() - self.start:7.1f} s] {message}")

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start


def last_completed_month(today: date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def value_months(years: int, today: date) -> list[tuple[int, int]]:
    """Every (year, month) from January ``years`` years back up to the last completed month."""
    end = last_completed_month(today)
    first = today.year - years + 1
    return [(y, m) for y in range(first, end[0] + 1) for m in range(1, 13) if (y, m) <= end]


def generate_city(
    scale: Scale,
    *,
    seed: str = "styrkort-bench",
    today: date | None = None,
    progress=print,
    followup: bool = True,
) -> dict:
    """Fill an empty database with a synthetic city; returns counts and timings.

    ``followup``: also what people write at the occasions (assessments, summaries, forecasts,
    actions: ``bench.followup_data``).
    """
    log = Progress(progress)
    today = today or date.today()
    rng = random.Random(f"{seed}:{scale.name}")
    sc_years = list(range(today.year - scale.scorecard_years + 1, today.year + 1))
    log(
        f"{scale.name}: {scale.unit_count} units, {scale.goals} goals and {scale.metrics} metrics "
        f"per scorecard, scorecards {sc_years[0]}–{sc_years[-1]}, {scale.years} years of values"
    )
    with transaction.atomic():
        perspectives = _perspectives()
        indicators = _indicators(scale, rng)
        units = _units(scale)
        log(f"{len(indicators)} indicators, {len(units)} units")
        unit_indicators = _choose_indicators(scale, units, indicators, rng)
        series = {(u.pk, ind.pk): _series(ind, rng) for u in units for ind in unit_indicators[u.pk]}
        cards = _scorecards(units, sc_years)
        goals = _goals(scale, cards, perspectives, units)
        links = _chain(cards, goals, units)
        metrics, targets = _metrics_and_targets(
            scale, cards, goals, unit_indicators, series, sc_years[0] - scale.years + 1, rng
        )
        log(
            f"{len(cards)} scorecards, {len(goals)} goals, {links} chain links, "
            f"{metrics} metrics, {targets} targets"
        )
        _occasions(sc_years)
        reporters = _accounts(scale, units)
        log(f"accounts: {ADMIN_USERNAME} and {reporters} reporters (password {BENCH_PASSWORD})")
    months = value_months(scale.years, today)
    authors = _authors(units)
    values = _measurements(units, unit_indicators, series, months, rng, log, authors)
    with connection.cursor() as cursor:
        # Statistics for the query planner after a bulk load: what PostgreSQL's autovacuum and
        # our SQLite engine's PRAGMA optimize (core.sqlite_engine) would otherwise do later.
        cursor.execute("ANALYZE")
    written = {}
    if followup:
        started = time.perf_counter()
        first_year = months[0][0] if months else today.year
        written = fill_followup(cards, units, series, first_year, authors, today, rng, log)
        written["followup_seconds"] = round(time.perf_counter() - started, 1)
        _analyze(WRITTEN_MODELS)
    log("refreshing stored goal statuses …")
    started = time.perf_counter()
    refreshed = _refresh_statuses(cards, log)
    refresh_seconds = time.perf_counter() - started
    log(f"{refreshed} goal statuses in {refresh_seconds:.1f} s")
    log(f"done: {len(units)} units, {values:,} values")
    return {
        "scale": scale.name,
        "units": len(units),
        "scorecards": len(cards),
        "goals": len(goals),
        "chain_links": links,
        "metrics": metrics,
        "targets": targets,
        "measurements": values,
        **written,
        "status_refresh_seconds": round(refresh_seconds, 1),
        "seconds": round(log.elapsed, 1),
    }


def _analyze(models) -> None:
    """Planner statistics for the tables written after the first ANALYZE."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _refresh_statuses(cards: list[Scorecard], log) -> int:
    """Every goal's stored status, a few hundred scorecards at a time.

    Batches follow the scorecards (one year, neighbouring units), so each evaluation reads the
    values of those units only; ``refresh_goal_statuses()`` without ids batches goals in their
    default order (by perspective), where every batch spans every unit of the city.
    """
    goal_ids: dict[int, list[int]] = defaultdict(list)
    for pk, card in Goal.objects.order_by("pk").values_list("pk", "scorecard"):
        goal_ids[card].append(pk)
    total = sum(map(len, goal_ids.values()))
    batch, done = [], 0
    for card in sorted(cards, key=lambda c: (c.year, c.pk)):
        batch += goal_ids[card.pk]
        if len(batch) >= STATUS_BATCH:
            done += refresh_goal_statuses(batch)
            batch = []
            log(f"goal statuses {done:,} / {total:,}")
    if batch:
        done += refresh_goal_statuses(batch)
    return done


STATUS_BATCH = 1_800  # below rollup's own batch of 2,000, so a call is one evaluation


# ── Structure ──────────────────────────────────────────────────────────────────────────────────


def _perspectives() -> list[Perspective]:
    return [
        Perspective.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "colour": colour,
                "icon": icon,
                "order": i,
                "description": PERSPECTIVE_DESCRIPTIONS.get(slug, ""),
            },
        )[0]
        for i, (slug, name, colour, icon) in enumerate(DEFAULT_PERSPECTIVES)
    ]


def _indicators(scale: Scale, rng: random.Random) -> list[Indicator]:
    objs = []
    for i in range(scale.indicators):
        name, unit, direction, decimals, level, year_value = THEMES[i % len(THEMES)]
        area = AREAS[(i // len(THEMES)) % len(AREAS)]
        if i >= COMMON_INDICATORS:
            name = f"{name}, {area}"
        if i >= len(THEMES) * len(AREAS):
            name = f"{name} ({i})"
        percent = unit == "%"
        objs.append(
            Indicator(
                code=f"syn-{i:04d}",
                name=name,
                unit=unit,
                direction=direction,
                decimals=decimals,
                frequency=Frequency.MONTHLY,
                year_value=year_value,
                source=Source.FILE if i % 7 == 3 else Source.MANUAL,
                aggregation=Aggregation.MEAN
                if i < COMMON_INDICATORS and percent
                else Aggregation.NONE,
                # A deviation (range) in per cent can be negative; a share cannot.
                plausible_min=Decimal(-100 if direction == R else 0) if percent else None,
                plausible_max=Decimal(100) if percent else None,
                description=f"Syntetiskt mätetal ({level} {unit} är en typisk nivå).",
            )
        )
    return Indicator.objects.bulk_create(objs, batch_size=500)


def _units(scale: Scale) -> list[OrgUnit]:
    """The tree, level by level, so every parent has its id before its children are written."""
    city = OrgUnit.objects.create(
        name="Exempelstadens kommun",
        short_name="Exempelstaden",
        kind=K.MUNICIPALITY,
        code="ex",
        description=f"Syntetisk stad för prestandamätning (skala {scale.name}).",
    )
    bodies = []
    for c in range(scale.committees):
        name, kind = BODIES[c % len(BODIES)]
        if c >= len(BODIES):
            name = f"{name} {c // len(BODIES) + 1}"
        bodies.append(OrgUnit(name=name, kind=kind, code=f"n{c:02d}", parent=city, order=c))
    bodies = OrgUnit.objects.bulk_create(bodies)
    admins = OrgUnit.objects.bulk_create(
        OrgUnit(
            name="Bolagets verksamhet" if b.kind == K.COMPANY else f"Förvaltningen under {b.name}",
            kind=K.ADMINISTRATION,
            code=f"{b.code}-f",
            parent=b,
        )
        for b in bodies
    )
    departments = OrgUnit.objects.bulk_create(
        OrgUnit(
            name=f"Avdelning {d + 1}, {a.parent.name}",
            kind=K.DEPARTMENT,
            code=f"{a.code[:-2]}-a{d + 1}",
            parent=a,
            order=d,
        )
        for a in admins
        for d in range(scale.departments)
    )
    leaves = OrgUnit.objects.bulk_create(
        (
            OrgUnit(
                name=f"Enhet {d.order + 1}.{u + 1}, {d.parent.parent.name}",
                kind=K.UNIT,
                code=f"{d.code}-e{u + 1}",
                parent=d,
                order=u,
            )
            for d in departments
            for u in range(scale.units_per_department)
        ),
        batch_size=500,
    )
    return [city, *bodies, *admins, *departments, *leaves]


def _committee_of(unit: OrgUnit) -> int | None:
    """The index of the committee a unit belongs to (from its code ``nCC…``), None for the city."""
    return int(unit.code[1:3]) if unit.code.startswith("n") else None


def _choose_indicators(scale, units, indicators, rng) -> dict[int, list[Indicator]]:
    """Each unit: the common indicators, then others from its committee's slice of the pool."""
    common = indicators[:COMMON_INDICATORS]
    rest = indicators[COMMON_INDICATORS:]
    wanted = scale.metrics - len(common)
    slice_size = min(len(rest), max(wanted + 10, int(wanted * 2)))
    step = max(1, len(rest) // max(scale.committees, 1))
    chosen = {}
    for unit in units:
        committee = _committee_of(unit)
        if committee is None:  # the city follows a spread of everything
            pool = rest
        else:
            start = committee * step
            pool = [rest[(start + i) % len(rest)] for i in range(slice_size)]
        chosen[unit.pk] = common[: scale.metrics] + rng.sample(pool, max(wanted, 0))
    return chosen


def _series(indicator: Indicator, rng: random.Random) -> Series:
    level = _typical_level(indicator) * rng.uniform(0.85, 1.15)
    drift = level * rng.uniform(-0.03, 0.03)
    if indicator.direction == Direction.RANGE:
        drift = rng.uniform(-0.1, 0.1)
    return Series(level, drift, max(abs(level) * 0.03, 0.2))


def _typical_level(indicator: Indicator) -> float:
    for name, _unit, _d, _dec, level, _yv in THEMES:
        if indicator.name.startswith(name):
            return level
    return 50.0


def _scorecards(units, years) -> list[Scorecard]:
    programme = GoalProgramme.objects.create(
        name="Målprogram",
        vision="Exempelstaden 2035 – en hållbar, trygg och växande stad för alla",
        description="Syntetiskt målprogram för prestandamätning.",
        start_year=min(years),
        end_year=max(max(years), min(years) + 3),
        decided_by="Kommunfullmäktige",
        decided_on=date(min(years) - 1, 11, 20),
        paragraph="§ 200",
        diary_number=f"KS {min(years) - 1}/00100",
    )
    current = max(years)
    cards = Scorecard.objects.bulk_create(
        (
            Scorecard(
                unit=unit,
                year=year,
                programme=programme,
                status=ScorecardStatus.ADOPTED if year == current else ScorecardStatus.ARCHIVED,
                introduction=f"Styrkort för {unit.name} {year}.",
                decided_by="Kommunfullmäktige" if unit.parent_id is None else unit.name,
                decided_on=date(year - 1, 12, 10),
                paragraph=f"§ {100 + i % 200}",
                diary_number=f"DNR {year - 1}/{i:05d}",
            )
            for i, (unit, year) in enumerate((u, y) for y in years for u in units)
        ),
        batch_size=500,
    )
    through = Scorecard.perspectives.through
    perspective_ids = list(Perspective.objects.filter(active=True).values_list("pk", flat=True))
    through.objects.bulk_create(
        (through(scorecard_id=c.pk, perspective_id=p) for c in cards for p in perspective_ids),
        batch_size=2000,
    )
    return cards


def _goal_title(k: int, unit: OrgUnit, slugs: list[str], per: int) -> tuple[int, str]:
    perspective = min(k // per, len(slugs) - 1)
    titles = CITY_GOALS.get(slugs[perspective], ["Mål"])
    title = titles[(k % per) % len(titles)]
    if k % per >= len(titles):
        title = f"{title} ({k % per + 1})"
    if unit.parent_id is not None:
        title = f"{unit.short_name or unit.name}: {title[0].lower()}{title[1:]}"
    return perspective, title


def _goals(scale, cards, perspectives, units) -> dict[tuple[int, int], Goal]:
    """{(scorecard id, index): goal}; goal k is in the same perspective on every scorecard."""
    slugs = [p.slug for p in perspectives]
    per = max(1, -(-scale.goals // len(perspectives)))
    by_id = {u.pk: u for u in units}
    objs, keys = [], []
    for card in cards:
        unit = by_id[card.unit_id]
        for k in range(scale.goals):
            p, title = _goal_title(k, unit, slugs, per)
            objs.append(
                Goal(
                    scorecard=card,
                    perspective=perspectives[p],
                    title=title,
                    prioritised=k % per == 0,
                    order=k,
                    description="Syntetiskt mål.",
                )
            )
            keys.append((card.pk, k))
    Goal.objects.bulk_create(objs, batch_size=1000)
    goals = dict(zip(keys, objs, strict=True))
    Strategy.objects.bulk_create(
        (Strategy(goal=g, text=f"Strategi för att nå målet ({g.title[:80]})") for g in objs),
        batch_size=1000,
    )
    return goals


def _chain(cards, goals, units) -> int:
    """Each goal contributes to the goal with the same index on the parent unit's scorecard."""
    parent_of = {u.pk: u.parent_id for u in units}
    card_of = {(c.unit_id, c.year): c.pk for c in cards}
    through = Goal.contributes_to.through
    rows = []
    for (_card, k), goal in goals.items():
        card = goal.scorecard
        parent = parent_of[card.unit_id]
        if parent is None:
            continue
        above = goals.get((card_of[(parent, card.year)], k))
        if above is not None:
            rows.append(through(from_goal_id=goal.pk, to_goal_id=above.pk))
    through.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _metrics_and_targets(scale, cards, goals, unit_indicators, series, first_year, rng):
    metric_objs, targets_for = [], []
    for card in cards:
        chosen = unit_indicators[card.unit_id]
        for i, indicator in enumerate(chosen):
            goal = goals[(card.pk, i % scale.goals)]
            metric_objs.append(Metric(goal=goal, indicator=indicator, order=i // scale.goals))
            targets_for.append((card, indicator))
    Metric.objects.bulk_create(metric_objs, batch_size=1000)
    targets = []
    for metric, (card, indicator) in zip(metric_objs, targets_for, strict=True):
        s = series[(card.unit_id, indicator.pk)]
        expected = s.level + s.drift * (card.year - first_year + 0.5)
        targets.append(_target(metric, card, indicator, expected, s, rng))
    Target.objects.bulk_create(targets, batch_size=1000)
    return len(metric_objs), len(targets)


def _target(metric, card, indicator, expected, s: Series, rng) -> Target:
    if indicator.year_value == YearValue.SUM:
        expected *= 12
    places = Decimal(1).scaleb(-indicator.decimals)

    def dec(x: float) -> Decimal:
        return Decimal(str(x)).quantize(places)

    tolerance = dec(abs(expected) * 0.03 + s.noise * 0.5)
    common = {"metric": metric, "year": card.year, "tolerance": tolerance}
    if indicator.direction == Direction.RANGE:
        low = expected - rng.uniform(0.3, 1.2) * s.noise * 3
        return Target(
            **common,
            comparator=Comparator.RANGE,
            value=dec(low),
            value_high=dec(low + s.noise * 6),
        )
    if indicator.direction == Direction.HIGHER:
        value = expected * rng.uniform(0.97, 1.05)
        comparator = Comparator.GTE
    else:
        value = expected * rng.uniform(0.95, 1.03)
        comparator = Comparator.LTE
    if indicator.plausible_max is not None:
        value = min(value, 100.0)
    return Target(**common, comparator=comparator, value=dec(max(value, 0)))


def _occasions(years) -> None:
    """Tertial, interim and annual follow-ups for every scorecard year, none of them locked."""
    occasions = [
        (OccasionKind.TERTIAL, "Tertialrapport", 4, (0, 5, 8)),
        (OccasionKind.INTERIM, "Delårsrapport", 8, (0, 9, 10)),
        (OccasionKind.ANNUAL, "Årsredovisning", 12, (1, 2, 6)),
    ]
    FollowUpOccasion.objects.bulk_create(
        FollowUpOccasion(
            year=year,
            kind=kind,
            name=name,
            end_month=end,
            deadline=date(year + later, month, day),
        )
        for year in years
        for kind, name, end, (later, month, day) in occasions
    )


def _accounts(scale: Scale, units: list[OrgUnit]) -> int:
    """An administrator, and reporters each on their own unit at the lowest level."""
    User = get_user_model()
    password = make_password(BENCH_PASSWORD)  # one hash for all: hashing is slow on purpose
    leaves = [u for u in units if u.kind == K.UNIT][: scale.reporters]
    users = User.objects.bulk_create(
        [
            User(username=ADMIN_USERNAME, password=password, first_name="Bench", last_name="Admin"),
            *(
                User(
                    username=f"{REPORTER_PREFIX}{i + 1:03d}",
                    password=password,
                    first_name="Rapportör",
                    last_name=str(i + 1),
                )
                for i in range(len(leaves))
            ),
        ]
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=users[0], unit=units[0], role=Role.ADMIN),
            *(
                RoleAssignment(user=user, unit=leaf, role=Role.REPORTER)
                for user, leaf in zip(users[1:], leaves, strict=True)
            ),
        ]
    )
    return len(leaves)


# ── Values ─────────────────────────────────────────────────────────────────────────────────────

MEASUREMENT_FIELDS = [
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
CHUNK = 50_000


def _authors(units) -> dict[int, int | None]:
    """{unit id: the user who enters its values}: its own reporter, else the administrator, as
    a real city's values all have an author (the value-entry page shows who)."""
    admin = get_user_model().objects.filter(username=ADMIN_USERNAME).values_list("pk", flat=True)
    fallback = admin.first()
    own = dict(RoleAssignment.objects.filter(role=Role.REPORTER).values_list("unit_id", "user_id"))
    return {u.pk: own.get(u.pk, fallback) for u in units}


# Every so many values carry a comment, as reporters explain a deviation.
COMMENT_EVERY = 20
COMMENTS = ("Enligt ekonomisystemet.", "Lägre än väntat: vakanser under perioden.", "Preliminärt.")


def _measurements(units, unit_indicators, series, months, rng, log, authors=None) -> int:
    total = sum(len(unit_indicators[u.pk]) for u in units) * len(months)
    log(f"writing {total:,} values ({len(months)} months) …")
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    first_year = months[0][0] if months else 0
    started, written = time.perf_counter(), 0

    def rows() -> Iterator[tuple]:
        for unit in units:
            for indicator in unit_indicators[unit.pk]:
                s = series[(unit.pk, indicator.pk)]
                low = float(indicator.plausible_min or 0)
                if indicator.direction == Direction.RANGE and indicator.plausible_min is None:
                    low = -1e12
                high = float(indicator.plausible_max or 1e12)
                fmt = f"{{:.{indicator.decimals}f}}"
                gauss, level, drift, noise = rng.gauss, s.level, s.drift, s.noise
                author = (authors or {}).get(unit.pk)
                for n, (year, month) in enumerate(months):
                    t = (year - first_year) + (month - 0.5) / 12
                    value = min(max(level + drift * t + gauss(0, noise), low), high)
                    comment = "" if n % COMMENT_EVERY else COMMENTS[n // COMMENT_EVERY % 3]
                    yield (
                        indicator.pk, unit.pk, year, month, fmt.format(value), comment,
                        indicator.source, author, stamp, 1,
                    )  # fmt: skip

    stream = rows()
    while chunk := list(islice(stream, CHUNK)):
        with transaction.atomic():
            insert_rows(Measurement, MEASUREMENT_FIELDS, chunk)
        written += len(chunk)
        if written % (CHUNK * 10) == 0 or written == total:
            rate = written / max(time.perf_counter() - started, 1e-9)
            log(f"values {written:,} / {total:,} ({rate:,.0f}/s)")
    return written


def insert_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert plain tuples, bypassing models and signals: COPY on PostgreSQL, else executemany.

    ``fields`` are model field names; values must already be what the column takes: ids for
    foreign keys, datetimes passed through ``connection.ops.adapt_datetimefield_value``.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY's text format, written in one piece: psycopg's write_row adapts value by
            # value and is several times slower for millions of rows.
            text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(text)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    return str(value).translate(_COPY_ESCAPES)
