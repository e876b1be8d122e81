"""The city page right after a value write in an unrelated unit (issue #16.3), beside the same
page warm and right after a change that drops every cache (what any write did before the caches
were scoped to scorecards).

"Unrelated": a value of a level-5 unit for an indicator that aggregates nothing (the city's goals
read only the city's own values of it), written so that no stored status moves (the value goes
up and back by a hundredth). Each write is checked: the city scorecard's version
(``followup.rollup.scoped_version``) must not move, else the next candidate value is tried; the
row says how many writes moved it anyway (0 expected). The value is put back at the end.

Alone, at the large scale (a copy of ``data/bench/large.sqlite3``, migrated):
``DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:////tmp/large.sqlite3 python manage.py
shell -c "from bench.scoped import main; main()"``; ``make bench`` runs the rows too.
"""

import json
from decimal import Decimal

from django.db.models import Q
from django.test import Client
from django.urls import reverse

from followup.models import Measurement
from followup.rollup import rollup_changed, scoped_version
from organisation.models import OrgUnit, UnitKind
from scorecards.models import Aggregation, Indicator

WARM = "city scorecard / (warm, beside the rows below)"
AFTER_UNRELATED = "city scorecard / right after a value write in an unrelated unit"
AFTER_ANY = "city scorecard / right after a change that drops every cache"
STEP = Decimal("0.01")


def _candidates(year: int):
    """Values of level-5 units for indicators that aggregate nothing and weigh nothing: the
    city's goals read only the city's own values of them."""
    weights = Indicator.objects.filter(aggregation_weight__isnull=False).values(
        "aggregation_weight"
    )
    return (
        Measurement.objects.filter(
            year=year, unit__in=OrgUnit.objects.filter(kind=UnitKind.UNIT), value__isnull=False
        )
        .exclude(Q(indicator__in=weights) | ~Q(indicator__aggregation=Aggregation.NONE))
        .order_by("pk")
    )


class UnrelatedWrite:
    """Writes one value up and back by a hundredth, through the model's save (the signals, as
    every writer), and counts the writes that moved the city scorecard's version."""

    def __init__(self, city_card: int, year: int):
        self.city_card = city_card
        self.moved = 0
        self.writes = 0
        self.value = None
        for candidate in _candidates(year)[:20]:
            self.value, self.original = candidate, candidate.value
            if not self._write(self.original + STEP):  # the city's version stayed
                self._write(self.original)
                return
            self._write(self.original)
        self.value = None

    def _write(self, value) -> bool:
        """True if the city's version moved."""
        before = scoped_version([self.city_card])
        self.value.value = value
        self.value.save()
        return scoped_version([self.city_card]) != before

    def __call__(self) -> None:
        up = self.value.value == self.original
        self.moved += self._write(self.original + STEP if up else self.original)
        self.writes += 1

    def restore(self) -> None:
        if self.value.value != self.original:
            self._write(self.original)


def measure_rows(client: Client, targets: dict, budget, floor=None) -> list[dict]:
    """The three rows, measured one after another on the same client."""
    from .measure import measure_path

    path = reverse("home")
    write = UnrelatedWrite(targets["city_card"], targets["year"])
    if write.value is None:
        return [{"name": AFTER_UNRELATED, "path": path, "status": "error",
                 "error": "no value of a level-5 unit the city does not read"}]  # fmt: skip
    rows = []
    try:
        for name, before in (
            (WARM, None),
            (AFTER_UNRELATED, write),
            (AFTER_ANY, rollup_changed),
        ):
            measured = measure_path(client, path, budget, before, floor=floor)
            measured.update(name=name, who="anonymous")
            rows.append(measured)
    finally:
        write.restore()
    rows[1]["writes"] = write.writes
    rows[1]["writes_that_moved_the_city_version"] = write.moved
    rows[1]["written"] = {
        "unit": write.value.unit_id,
        "indicator": write.value.indicator_id,
        "month": write.value.month,
    }
    return rows


def main(repeat: int = 30, seconds: float = 60.0) -> None:
    """The rows alone, printed as JSON lines (see the module docstring)."""
    from .measure import Budget, _line, find_targets

    targets = find_targets()
    for row in measure_rows(Client(), targets, Budget(repeat=repeat, seconds=seconds, warmup=3)):
        print(_line(row) if "median_ms" in row else row)
        print(json.dumps(row, ensure_ascii=False))
