"""An existing scorecard from a workbook: goals, strategies, metrics, targets and goal links.

Municipalities keep today's scorecards in Excel. One workbook carries one year's scorecards for
one or several units, on three sheets (the template's first sheet explains them):

- ``Mål``: Enhet (unit code), År, Perspektiv, Mål, Beskrivning, Prioriterat (ja/nej), Bidrar
  till (a goal of a higher unit the same year, by title or id; several on separate lines in
  the cell). The goal may be one of the file's own goals of a higher unit.
- ``Strategier``: Enhet, Mål (the goal's title as on ``Mål``), Strategi.
- ``Mätetal``: Enhet, Mål, Mätetal (an indicator's code or name; an unknown name creates a new
  indicator), Måttenhet and Riktning (for a new indicator), Jämförelse (≤, ≥, =, intervall; empty
  for no target), Målvärde, Övre gräns (for an interval), År (the target's year; the file's year
  when empty).

The same three steps as the value import (``reports.imports``), with its reader and its
``Plan``, ``Change`` and ``RowError``: a template, a preview that writes nothing, and an
all-or-nothing apply that plans again against what is stored then. Each cell goes through the
rule of the page that edits it: the model fields' validators (length, control characters),
``StrategyForm``, ``IndicatorForm``, ``TargetForm`` and ``chain.validate_contribution``.

Perspectives are set up before scorecards, so an unknown perspective is a row error, never a new
perspective. The scorecards are created as drafts; a unit that already has a scorecard with goals
for the year is refused (an empty draft is filled in), so importing twice cannot double a card.
"""

from .apply import ScorecardImportError, scorecard_apply
from .plan import scorecard_plan
from .workbook import (
    COLUMNS,
    GOALS,
    HELP_SHEET,
    METRICS,
    STRATEGIES,
    XLSX,
    read_workbook,
    scorecard_template,
)

__all__ = [
    "COLUMNS",
    "GOALS",
    "HELP_SHEET",
    "METRICS",
    "STRATEGIES",
    "XLSX",
    "ScorecardImportError",
    "read_workbook",
    "scorecard_apply",
    "scorecard_plan",
    "scorecard_template",
]
