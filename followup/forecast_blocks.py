"""Report data blocks for prognos helår, in the shape of ``yearreports.document`` (the
coordinator registers ``forecast_blocks`` with the report's blocks): a table of the metrics'
forecasts beside their actuals, a table of the goals' status now and at the year's end, and a
chart per forecast metric where the forecast is dashed, never drawn as an actual."""

from django.utils.translation import gettext as _

from . import scales
from .comparison import kolada_comparison
from .evaluation import FollowUpPoint
from .forecasts import goal_forecasts


def forecast_blocks(card, occasion) -> list[dict]:
    """The blocks for one scorecard at one occasion (an empty list without goals)."""
    goals = card.goals.select_related("perspective", "scorecard__unit").order_by(
        "perspective__order", "order", "pk"
    )
    items = goal_forecasts(goals, occasion)
    if not items:
        return []
    covers = FollowUpPoint.at(occasion).label
    blocks: list[dict] = [{"type": "heading", "text": _("Prognos helår"), "level": 2}]
    blocks.append(_metric_table(items, covers))
    blocks.append(_goal_table(items))
    blocks += [_chart(row, occasion) for item in items for row in item.rows if row.forecast]
    return blocks


def _metric_table(items, covers: str) -> dict:
    rows = []
    for item in items:
        for row in item.rows:
            ind = row.indicator
            comparison = kolada_comparison(ind) if ind.kolada_kpi else None
            rows.append(
                [
                    item.goal.title,
                    ind.name,
                    ind.format(row.result.value) if row.result.value is not None else "–",
                    row.target.label if row.target else _("inget"),
                    ind.format(row.forecast.value) if row.forecast else "–",
                    f"{row.status.icon} {row.status_text}" if row.forecast else "–",
                    f"{ind.format(row.suggestion.value)} ({row.suggestion.label})"
                    if row.suggestion
                    else "–",
                    _comparison_text(comparison, ind),
                ]
            )
    return {
        "type": "table",
        "caption": _("Prognos helår per mätetal; utfall avser %(covers)s") % {"covers": covers},
        "columns": [
            _("Mål"),
            _("Mätetal"),
            _("Utfall hittills"),
            _("Målvärde helår"),
            _("Prognos helår"),
            _("Bedömning av prognosen"),
            _("Förslag"),
            _("Kolada"),
        ],
        "rows": rows,
        "numeric": [False, False, True, False, True, False, False, False],
    }


def _comparison_text(comparison, indicator) -> str:
    if comparison is None:
        return ""
    parts = [f"{comparison.year}: {indicator.format(comparison.own)}"]
    if comparison.group_mean is not None:
        parts.append(_("medel %(v)s") % {"v": indicator.format(comparison.group_mean)})
    if comparison.riket is not None:
        parts.append(_("Riket %(v)s") % {"v": indicator.format(comparison.riket)})
    if comparison.rank:
        place, of = comparison.rank
        parts.append(_("plats %(place)s av %(of)s") % {"place": place, "of": of})
    return ", ".join(parts)


def _goal_table(items) -> dict:
    rows = []
    for item in items:
        now = scales.choice_for(item.assessment.status) if item.assessment else None
        year_end = item.chosen
        rows.append(
            [
                item.goal.title,
                f"{now.icon} {now.label}" if now else "–",
                f"⇢{item.suggested.icon} {item.suggested.label}",
                f"⇢{year_end.icon} {year_end.label}" if year_end else "–",
                item.assessment.forecast if item.assessment else "",
            ]
        )
    return {
        "type": "table",
        "caption": _("Bedömd måluppfyllelse vid årets slut"),
        "columns": [
            _("Mål"),
            _("Bedömning nu"),
            _("Mätetalens prognoser pekar på"),
            _("Bedömt vid årets slut"),
            _("Kommentar"),
        ],
        "rows": rows,
        "numeric": [False] * 5,
    }


def _chart(row, occasion) -> dict:
    """The year's values so far (solid) and the forecast for the year (dashed)."""
    ind = row.indicator
    actual = [(str(v.month), float(v.value)) for v in row.result.values]
    last = actual[-1] if actual else (str(occasion.end_month), None)
    forecast = [last, ("12", float(row.forecast.value))]
    return {
        "type": "chart",
        "title": _("%(name)s: utfall och prognos helår") % {"name": ind.name},
        "alt": _("Utfall per månad %(year)s och prognos helår %(value)s (streckad).")
        % {"year": occasion.year, "value": ind.format(row.forecast.value)},
        "unit": ind.unit,
        "series": [
            {
                "label": _("Utfall %(year)s") % {"year": occasion.year},
                "points": actual,
                "style": "solid",
            },
            {"label": _("Prognos"), "points": forecast, "style": "dashed"},
        ],
        "target": float(row.target.value) if row.target else None,
    }
