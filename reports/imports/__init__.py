"""Spreadsheet import of actual values and targets: template, preview plan, all-or-nothing apply.

Three steps, one function each:

1. ``values_template`` / ``targets_template`` – an .xlsx per scorecard: one row per indicator
   (values, a column per month) or per metric (targets), with a hidden, locked ``id`` column so
   every row maps back, and the unit and current target for reference.
2. ``batch_create`` – reads an uploaded .xlsx or .csv (as Swedish Excel writes it: semicolons,
   decimal commas, UTF-8 with BOM or Windows-1252), compares it with what is stored and keeps
   the plan — every change old → new, and every row error — in an ``ImportBatch``. The values are
   also run through ``measurements_save`` in a transaction that is rolled back, so the preview
   shows exactly the errors (plausible range, locked periods) that confirming would meet.
3. ``batch_apply`` – writes the plan in one transaction, or nothing at all. Values go through
   ``followup.entry.measurements_save`` with source "file"; targets through ``TargetForm``, the
   validation of the edit page. Each stored value's version is remembered at preview, so a value
   someone changed in between is a conflict, not a silent overwrite.

Access is the caller's to check: ``access.can_report`` for values, ``access.can_edit`` for
targets, on the scorecard's unit.

The package, by concern: ``plan`` (limits, row errors, changes, the plan), ``templates``,
``cells`` (reading a file), ``values``, ``targets`` and ``batch`` (create, apply). Other modules
import the public names below from ``reports.imports``; patch a name where it is used
(``reports.imports.values.measurements_save``).
"""

from .batch import NotApplicable, batch_apply, batch_create
from .cells import KEYWORDS, cell_number, read_rows
from .plan import (
    ACTIONS,
    CHANGED,
    COMPARATOR_INPUT,
    COMPARATOR_WORDS,
    HEAD_FILL,
    HEADER_ROW,
    LOCKED_FILL,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MONTH_WORDS,
    MONTHS,
    NEW,
    REMOVED,
    TARGETS_SHEET,
    UNCHANGED,
    VALUES_SHEET,
    YEAR_MAX,
    YEAR_MIN,
    Change,
    Plan,
    RowError,
)
from .targets import targets_plan
from .templates import scorecard_metrics, targets_template, values_template
from .values import values_plan

__all__ = [
    "ACTIONS",
    "CHANGED",
    "COMPARATOR_INPUT",
    "COMPARATOR_WORDS",
    "Change",
    "HEADER_ROW",
    "HEAD_FILL",
    "KEYWORDS",
    "LOCKED_FILL",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MONTHS",
    "MONTH_WORDS",
    "NEW",
    "NotApplicable",
    "Plan",
    "REMOVED",
    "RowError",
    "TARGETS_SHEET",
    "UNCHANGED",
    "VALUES_SHEET",
    "YEAR_MAX",
    "YEAR_MIN",
    "batch_apply",
    "batch_create",
    "cell_number",
    "read_rows",
    "scorecard_metrics",
    "targets_plan",
    "targets_template",
    "values_plan",
    "values_template",
]
