"""Data blocks that other features build for a unit at an occasion, adapted to the registry's
``builder(report)``: each feature keeps its own builder next to its own rules."""

from assignments.exports import report_blocks as assignment_blocks
from economy.report import driftredovisning_blocks
from followup.forecast_blocks import forecast_blocks
from internalcontrol.exports import report_blocks as control_blocks

from .scorecard import _data


def forecast(report) -> list[dict]:
    """Prognos helår per metric and bedömd måluppfyllelse per goal (issue 19)."""
    card = _data(report).card
    return forecast_blocks(card, report.occasion) if card is not None else []


def assignments(report) -> list[dict]:
    """The decided assignments the unit received or issued, with their status (issue 21)."""
    return assignment_blocks(report.unit, report.occasion)


def internal_control(report) -> list[dict]:
    """The unit's controls and their results at the occasion (issue 21)."""
    return control_blocks(report.unit, report.occasion)


def operating_statement(report) -> list[dict]:
    """Driftredovisning: budget, utfall, avvikelse and prognos per nämnd (issue 22)."""
    return driftredovisning_blocks(report.unit, report.occasion.year, report.occasion.end_month)
