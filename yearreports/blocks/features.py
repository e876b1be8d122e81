"""Data blocks that other features build for a unit at an occasion, adapted to the registry's
``builder(report)``: each feature keeps its own builder next to its own rules."""

from followup.forecast_blocks import forecast_blocks

from .scorecard import _data


def forecast(report) -> list[dict]:
    """Prognos helår per metric and bedömd måluppfyllelse per goal (issue 19)."""
    card = _data(report).card
    return forecast_blocks(card, report.occasion) if card is not None else []
