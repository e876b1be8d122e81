"""Forecast cells for the spreadsheet exports (``reports.exports``): the metric's prognos helår
at the occasion judged against the annual target, and the goal's forecast assessment."""

from .forecasts import forecast_badge, forecast_status
from .models import Forecast


def forecasts_at(cards, occasion) -> dict:
    """{(indicator id, unit id): Forecast} for the cards' units at the occasion, one query."""
    units = {card.unit_id for card in cards}
    return {
        (f.indicator_id, f.unit_id): f
        for f in Forecast.objects.filter(
            unit_id__in=units, year=occasion.year, month=occasion.end_month
        )
    }


def forecast_cells(forecasts: dict, result, unit_id: int) -> list:
    """[the forecast as a number, its judgement in words] (empty cells without one)."""
    forecast = forecasts.get((result.metric.indicator_id, unit_id))
    if forecast is None:
        return [None, ""]
    annual = result.target if result.value_year is None else None
    status = forecast_status(forecast.value, annual)
    return [forecast.value, f"{status.icon} {forecast_badge(status)}"]


def forecast_choice_text(assessment) -> str:
    choice = assessment.forecast_choice if assessment is not None else None
    return f"{choice.icon} {choice.label}" if choice else ""
