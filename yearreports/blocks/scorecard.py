"""Data blocks from the unit's scorecard at the report's occasion. Statuses come from
followup.evaluation.statuses_at (the one status rule), assessments from followup.assessments."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from followup import scales
from followup.assessments import assessments_for
from followup.evaluation import FollowUpPoint, Statuses, statuses_at
from followup.models import Action
from followup.status import Status
from scorecards.models import Goal, Scorecard, ScorecardStatus

from ..richtext import sanitise


@dataclass
class Data:
    card: Scorecard | None
    goals: list[Goal]
    statuses: Statuses | None
    assessments: dict


def _data(report) -> Data:
    """The unit's scorecard of the occasion's year (the adopted one first), its goals, statuses
    and assessments; kept on the report object so a report's blocks read them once."""
    cached = getattr(report, "_block_data", None)
    if cached is not None:
        return cached
    cards = Scorecard.objects.filter(unit_id=report.unit_id, year=report.occasion.year)
    card = (
        cards.filter(status__in=[ScorecardStatus.ADOPTED, ScorecardStatus.ARCHIVED]).first()
        or cards.first()
    )
    goals = []
    statuses = None
    found = {}
    if card is not None:
        goals = list(
            Goal.objects.filter(scorecard=card)
            .select_related("perspective")
            .order_by("perspective__order", "order", "pk")
        )
        ids = [g.pk for g in goals]
        statuses = statuses_at(ids, FollowUpPoint.at(report.occasion))
        found = assessments_for(ids, report.occasion)
    report._block_data = Data(card, goals, statuses, found)
    return report._block_data


def _status_text(status: Status) -> str:
    return f"{status.icon} {status.label}"


def _assessed_text(data: Data, goal: Goal) -> str:
    """The goal's status as settled by its assessment, or the suggestion marked as such."""
    assessment = data.assessments.get(goal.pk)
    if assessment is not None:
        choice = scales.choice_for(assessment.status)
        if choice is not None:
            return f"{choice.icon} {choice.label}"
    result = data.statuses.get(goal.pk) if data.statuses else None
    if result is None:
        return "– " + _("Ej bedömt")
    return _("%(status)s (förslag)") % {"status": _status_text(result.suggested)}


def _none_yet(text) -> list[dict]:
    return [{"type": "html", "html": f"<p>{text}</p>"}]


def perspective_summary(report) -> list[dict]:
    data = _data(report)
    if not data.goals:
        return _none_yet(_("Enheten har inget styrkort för året."))
    counts: dict[str, Counter] = {}
    for goal in data.goals:
        result = data.statuses.get(goal.pk)
        status = result.suggested if result else Status.NO_VALUE
        counts.setdefault(goal.perspective.name, Counter())[status] += 1
    shown = [Status.MET, Status.CLOSE, Status.NOT_MET, Status.NO_VALUE]
    rows = []
    for name, counter in counts.items():
        other = sum(counter.values()) - sum(counter[s] for s in shown[:3])
        rows.append(
            [name, str(sum(counter.values())), *(str(counter[s]) for s in shown[:3]), str(other)]
        )
    return [
        {
            "type": "table",
            "caption": _("Mål per perspektiv, %(covers)s") % {"covers": data.statuses.covers},
            "columns": [
                _("Perspektiv"),
                _("Mål"),
                *(_status_text(s) for s in shown[:3]),
                _("Övriga"),
            ],
            "rows": rows,
            "numeric": [False, True, True, True, True, True],
        }
    ]


def goals(report) -> list[dict]:
    data = _data(report)
    if not data.goals:
        return _none_yet(_("Enheten har inget styrkort för året."))
    blocks = [
        {
            "type": "table",
            "caption": _("Mål och bedömning, %(covers)s") % {"covers": data.statuses.covers},
            "columns": [_("Perspektiv"), _("Mål"), _("Bedömning")],
            "rows": [[g.perspective.name, g.title, _assessed_text(data, g)] for g in data.goals],
            "numeric": [False, False, False],
        }
    ]
    for goal in data.goals:
        assessment = data.assessments.get(goal.pk)
        if assessment is not None and assessment.analysis.strip():
            blocks.append({"type": "heading", "text": goal.title, "level": 3})
            paragraphs = "".join(f"<p>{p}</p>" for p in _escaped_lines(assessment.analysis))
            blocks.append({"type": "html", "html": sanitise(paragraphs)})
    return blocks


def _escaped_lines(text: str) -> list[str]:
    from django.utils.html import escape

    return [escape(line) for line in text.splitlines() if line.strip()]


def metric_table(report) -> list[dict]:
    data = _data(report)
    rows = []
    for goal in data.goals:
        for m in data.statuses[goal.pk].metrics:
            target = m.judged_target or m.target
            rows.append([
                goal.title, m.metric.indicator.name,
                target.label if target else "–",
                _with_unit(m.formatted_value, m.metric.indicator.unit) if m.value is not None else "–",
                _status_text(m.status),
            ])  # fmt: skip
    if not rows:
        return _none_yet(_("Inga mätetal."))
    return [
        {
            "type": "table",
            "caption": _("Mätetal, %(covers)s") % {"covers": data.statuses.covers},
            "columns": [_("Mål"), _("Mätetal"), _("Målvärde"), _("Utfall"), _("Status")],
            "rows": rows,
            "numeric": [False, False, True, True, False],
        }
    ]


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit and not text.endswith(unit) else text


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trend_charts(report) -> list[dict]:
    data = _data(report)
    year = report.occasion.year
    blocks = []
    for goal in data.goals:
        for m in data.statuses[goal.pk].metrics:
            by_month = {v.month: v.value for v in m.values if v.year == year}
            if not by_month:
                continue
            points = [
                (str(MONTHS_3[month]), _float(by_month.get(month))) for month in sorted(by_month)
            ]
            unit = m.metric.indicator.unit
            target = _float(m.target.value) if m.target else None
            latest = m.formatted_value
            alt = _("%(name)s %(year)s: %(count)s värden, senast %(latest)s") % {
                "name": m.metric.indicator.name, "year": year,
                "count": len(points), "latest": latest,
            }  # fmt: skip
            if m.target:
                alt += _(", målvärde %(target)s") % {"target": m.target.label}
            blocks.append({
                "type": "chart", "title": m.metric.indicator.name, "alt": alt, "unit": unit,
                "series": [{"label": _("Utfall %(year)s") % {"year": year}, "points": points,
                            "style": "solid"}],
                "target": target,
            })  # fmt: skip
    return blocks or _none_yet(_("Inga utfall att visa i diagram."))


def actions(report) -> list[dict]:
    data = _data(report)
    rows = [
        [a.title, a.goal.title, a.owner, a.due_date.isoformat() if a.due_date else "–",
         a.get_state_display()]
        for a in Action.objects.filter(goal__in=data.goals).select_related("goal").order_by("pk")
    ]  # fmt: skip
    if not rows:
        return _none_yet(_("Inga aktiviteter."))
    return [
        {
            "type": "table",
            "caption": _("Aktiviteter"),
            "columns": [_("Aktivitet"), _("Mål"), _("Ansvarig"), _("Klart senast"), _("Läge")],
            "rows": rows,
            "numeric": [False, False, False, False, False],
        }
    ]


def kolada_comparison(report) -> list[dict]:
    """The unit's Kolada indicators: the municipality's latest value up to the occasion's year
    beside the comparison group's mean, as cached locally (no network)."""
    from core.site import site_settings
    from kolada.benchmark import comparison_default
    from kolada.models import KoladaValue

    data = _data(report)
    own = site_settings().kolada_id
    group = comparison_default()
    rows = []
    seen = set()
    for goal in data.goals:
        for m in data.statuses[goal.pk].metrics:
            kpi = m.metric.indicator.kolada_kpi
            if not kpi or kpi in seen or not own:
                continue
            seen.add(kpi)
            mine = (
                KoladaValue.objects.filter(
                    kpi=kpi, municipality=own, gender="T", year__lte=report.occasion.year
                )
                .order_by("-year")
                .first()
            )
            if mine is None:
                continue
            others = list(
                KoladaValue.objects.filter(
                    kpi=kpi, municipality__in=group, gender="T", year=mine.year
                )
                .exclude(municipality=own)
                .values_list("value", flat=True)
            )
            mean = sum(others) / len(others) if others else None
            fmt = m.metric.indicator.format
            rows.append(
                [
                    m.metric.indicator.name,
                    str(mine.year),
                    fmt(mine.value),
                    fmt(mean) if mean is not None else "–",
                ]
            )
    if not rows:
        return _none_yet(_("Inga jämförelser från Kolada."))
    return [
        {
            "type": "table",
            "caption": _("Jämförelse med liknande kommuner (Kolada)"),
            "columns": [_("Mätetal"), _("År"), _("Vårt värde"), _("Jämförelsegruppens medel")],
            "rows": rows,
            "numeric": [False, True, True, True],
        }
    ]
