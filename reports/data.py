"""What a report holds: a scorecard, or scorecards at a follow-up occasion, in a fixed number of
queries however many goals and metrics there are.

The spreadsheet exports and the PDF reports read the same structures, so an .xlsx and a PDF of
one scorecard always agree. Statuses come from ``followup.evaluation.statuses_at`` and
suggestions and assessments from ``followup.assessments`` — the rules of the pages themselves.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from followup import locked_names, scales
from followup.assessments import goal_followups, latest_assessments
from followup.charts import PERIOD_MONTHS, ChartPoint, ChartTarget, trend_alt, trend_svg
from followup.evaluation import (
    FollowUpPoint,
    MetricResult,
    judged_so_far,
    statuses_at,
    target_rule,
)
from followup.models import Assessment, FollowUpOccasion, Measurement, SummaryAnalysis
from followup.status import Rollup, Status, assessed_status, metric_status, period_value
from scorecards.models import Comparator, Goal, Perspective, Scorecard, Strategy, Target

from .pdf import chart_image

CHART_YEARS = 3  # the occasion's year and the two before it


@dataclass
class MetricLine:
    result: MetricResult
    chart: str = ""  # the trend chart as an image for the PDF (reports.pdf.chart_image)

    @property
    def metric(self):
        return self.result.metric

    @property
    def indicator(self):
        return self.result.metric.indicator

    @property
    def months(self) -> dict[int, Decimal]:
        return {m.month: m.value for m in self.result.values}

    @property
    def value_text(self) -> str:
        if self.result.value is None:
            return "–"
        unit = self.indicator.unit
        return f"{self.result.formatted_value}\u00a0{unit}" if unit else self.result.formatted_value

    @property
    def target_text(self) -> str:
        return self.result.target.label if self.result.target else _("inget målvärde")


@dataclass
class GoalPart:
    goal: Goal
    metrics: list[MetricLine]
    status: Status  # suggested from the metrics by the status rule
    suggested: scales.Choice | None = None  # at an occasion: the scale's suggestion
    assessment: Assessment | None = None
    choice: scales.Choice | None = None  # the assessment's choice

    @property
    def strategies(self) -> list[Strategy]:
        return list(self.goal.strategies.all())


@dataclass
class PerspectivePart:
    perspective: Perspective
    goals: list[GoalPart]

    @property
    def counts(self):
        return rated_counts(self.goals)


@dataclass
class CardReport:
    card: Scorecard
    perspectives: list[PerspectivePart]
    occasion: FollowUpOccasion | None = None
    summary: SummaryAnalysis | None = None
    chart_years: tuple[int, int] | None = None
    covers: str = ""  # what the statuses cover: "utfall t.o.m. april 2026", "helår 2025"

    @property
    def goals(self) -> list[GoalPart]:
        return [g for p in self.perspectives for g in p.goals]

    @property
    def metric_count(self) -> int:
        return sum(len(g.metrics) for g in self.goals)

    @property
    def counts(self):
        return rated_counts(self.goals)

    @property
    def assessed(self) -> int:
        return sum(1 for g in self.goals if g.assessment is not None)


def rated_counts(goals: list["GoalPart"]) -> Rollup:
    """The goals counted with their assessment where there is one, as every roll-up counts."""
    return Rollup.of_goals(
        (g.status, assessed_status(g.assessment.status) if g.assessment else None) for g in goals
    )


def _goals(cards: list[Scorecard]) -> list[Goal]:
    return list(
        Goal.objects.filter(scorecard__in=cards)
        .select_related("perspective")
        .prefetch_related("strategies")
        .order_by("perspective__order", "order", "pk")
    )


def _sections(card: Scorecard, goals: list[GoalPart]) -> list[PerspectivePart]:
    """The card's perspectives in order, and any other perspective its goals use after them."""
    perspectives = list(card.perspectives.all())
    seen = {p.pk for p in perspectives}
    for part in goals:
        if part.goal.perspective_id not in seen:
            perspectives.append(part.goal.perspective)
            seen.add(part.goal.perspective_id)
    return [
        PerspectivePart(p, [g for g in goals if g.goal.perspective_id == p.pk])
        for p in perspectives
    ]


def cards_for_report(queryset):
    """Scorecards with what every report needs, perspectives included, in one or two queries."""
    return queryset.select_related("unit", "programme").prefetch_related(
        Prefetch("perspectives", queryset=Perspective.objects.order_by("order", "name"))
    )


def scorecard_report(card: Scorecard) -> CardReport:
    """The scorecard as its page shows it: status for the year so far, latest assessments."""
    goals = _goals([card])
    ids = [g.pk for g in goals]
    results = statuses_at(ids, FollowUpPoint(card.year))
    assessed = latest_assessments(ids, card.year)
    parts = []
    for g in goals:
        assessment = assessed.get(g.pk)
        parts.append(
            GoalPart(
                goal=g,
                metrics=[MetricLine(r) for r in results[g.pk].metrics],
                status=results[g.pk].suggested,
                assessment=assessment,
                choice=scales.choice_for(assessment.status) if assessment else None,
            )
        )
    return CardReport(card, _sections(card, parts), covers=results.covers)


def followup_reports(
    cards: list[Scorecard], occasion: FollowUpOccasion, *, charts: bool = False
) -> list[CardReport]:
    """Each scorecard at the occasion: January up to its month, suggestions and assessments.

    With ``charts`` every metric gets a trend chart of the occasion's year and the two before,
    drawn for print.
    """
    goals = _goals(cards)
    items = {item.goal.pk: item for item in goal_followups(goals, occasion)}
    summaries = {
        s.scorecard_id: s
        for s in SummaryAnalysis.objects.filter(scorecard__in=cards, occasion=occasion)
    }
    by_card: dict[int, list[GoalPart]] = defaultdict(list)
    for g in goals:
        item = items[g.pk]
        by_card[g.scorecard_id].append(
            GoalPart(
                goal=g,
                metrics=[MetricLine(r) for r in item.result.metrics],
                status=item.result.suggested,
                suggested=item.suggested,
                assessment=item.assessment,
                choice=item.chosen,
            )
        )
    # A locked occasion shows the names it had when locked (before the charts take theirs).
    locked_names.apply(
        occasion,
        units=[card.unit for card in cards],
        goals=goals,
        perspectives=[p for card in cards for p in card.perspectives.all()],
        indicators=[
            line.indicator for parts in by_card.values() for g in parts for line in g.metrics
        ],
    )
    years = (occasion.year - CHART_YEARS + 1, occasion.year)
    if charts:
        _add_charts([line for parts in by_card.values() for g in parts for line in g.metrics],
                    occasion, years)  # fmt: skip
    return [
        CardReport(
            card,
            _sections(card, by_card[card.pk]),
            occasion=occasion,
            summary=summaries.get(card.pk),
            chart_years=years if charts else None,
            covers=FollowUpPoint.at(occasion).label,
        )
        for card in cards
    ]


def _add_charts(lines: list[MetricLine], occasion: FollowUpOccasion, years) -> None:
    """Trend charts for the lines, from two queries: the values and the targets of the years.

    Each point is the year-to-date value the target is compared with, as on the trend page.
    """
    if not lines:
        return
    units = {line.metric.goal.scorecard.unit_id for line in lines}
    indicators = {line.metric.indicator_id for line in lines}
    history: dict[tuple[int, int], list[Measurement]] = defaultdict(list)
    for m in (
        Measurement.objects.filter(
            unit_id__in=units, indicator_id__in=indicators, year__range=years
        )
        .exclude(year=occasion.year, month__gt=occasion.end_month)
        .order_by("year", "month")
    ):
        history[(m.indicator_id, m.unit_id)].append(m)
    targets: dict[int, dict[int, Target]] = defaultdict(dict)
    for t in Target.objects.filter(
        metric_id__in=[line.metric.pk for line in lines], year__range=years
    ):
        targets[t.metric_id][t.year] = t
    for line in lines:
        metric, indicator = line.metric, line.indicator
        own_targets = targets[metric.pk]
        for t in own_targets.values():
            t.metric = metric  # its label reads the indicator
        so_far: dict[int, list[Decimal]] = defaultdict(list)
        by_month: dict[int, dict[int, Decimal]] = defaultdict(dict)
        points = []
        for m in history[(indicator.pk, metric.goal.scorecard.unit_id)]:
            so_far[m.year].append(m.value)
            by_month[m.year][m.month] = m.value
            compared = period_value(so_far[m.year], indicator.year_value)
            target = own_targets.get(m.year)
            judged, _share = judged_so_far(target, indicator, m.month, by_month.get(m.year - 1))
            status = metric_status(compared, target_rule(judged or target))
            points.append(ChartPoint(m.year, m.month, compared, status))
        if not points:
            continue
        chart = dict(
            title=_("Utfall över tid: %(name)s") % {"name": indicator.name},
            unit=indicator.unit,
            points=points,
            targets=[
                ChartTarget(
                    t.year,
                    (t.value, t.value_high)
                    if t.comparator == Comparator.RANGE and t.value_high is not None
                    else (t.value,),
                    t.label,
                )
                for t in own_targets.values()
            ],
            period_months=PERIOD_MONTHS.get(indicator.frequency, 12),
            decimals=indicator.decimals,
            direction=indicator.direction,
        )
        line.chart = chart_image(trend_svg(**chart, for_print=True), trend_alt(**chart))
