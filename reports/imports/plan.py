"""What an import is made of: the sheet names and limits, row errors, changes and the plan."""

from dataclasses import asdict, dataclass, field

from openpyxl.styles import PatternFill

from scorecards.models import Comparator

VALUES_SHEET = "Utfall"
TARGETS_SHEET = "Målvärden"
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_WORDS = {name: i for i, name in enumerate(MONTHS, 1)} | {
    name[:3]: i for i, name in enumerate(MONTHS, 1)
}
COMPARATOR_WORDS = {
    Comparator.LTE: "högst",
    Comparator.GTE: "minst",
    Comparator.EQ: "lika med",
    Comparator.RANGE: "intervall",
}
COMPARATOR_INPUT = {
    "högst": Comparator.LTE, "max": Comparator.LTE, "≤": Comparator.LTE, "<=": Comparator.LTE,
    "minst": Comparator.GTE, "min": Comparator.GTE, "≥": Comparator.GTE, ">=": Comparator.GTE,
    "lika med": Comparator.EQ, "=": Comparator.EQ, "exakt": Comparator.EQ,
    "intervall": Comparator.RANGE, "inom intervall": Comparator.RANGE, "mellan": Comparator.RANGE,
} | {c.value: c.value for c in Comparator}  # fmt: skip
HEADER_ROW = 5
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to far more
YEAR_MIN, YEAR_MAX = 2000, 2100

NEW, CHANGED, REMOVED, UNCHANGED = "new", "changed", "removed", "unchanged"
FORECAST = "forecast"
ACTIONS = (NEW, CHANGED, REMOVED, UNCHANGED)

LOCKED_FILL = PatternFill("solid", fgColor="D9D9D9")
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Change:
    """One cell (values) or row (targets) that the file would change, or leaves as it is."""

    action: str
    row: int
    key: int  # indicator id for values, metric id for targets
    name: str
    period: str = ""
    old_text: str = ""
    new_text: str = ""
    month: int = 0
    old: object = None  # what was stored at preview: a decimal string, or a target's fields
    new: object = None
    version: int = 0
    comment: str = ""
    kind: str = ""  # FORECAST for a "Prognos" cell, else an actual value or a target

    @property
    def ident(self) -> tuple:
        """What the change writes: a forecast and a value of the same month are two things."""
        return (self.key, self.month, self.kind)


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    year: int = 0

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for change in self.changes:
            counts[change.action] += 1
        return counts

    def as_json(self) -> dict:
        return {
            "changes": [asdict(c) for c in self.changes],
            "errors": [asdict(e) for e in sorted(self.errors, key=lambda e: e.row)],
            "counts": self.counts(),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        return cls(
            [Change(**c) for c in data.get("changes", [])],
            [RowError(**e) for e in data.get("errors", [])],
        )


class _Rollback(Exception):
    """Raised inside a transaction to undo it, carrying what the block found."""
