"""Sweden's municipalities as Kolada knows them, from the list shipped in ``kolada/data/``."""

import csv
import functools
from pathlib import Path

MUNICIPALITIES_CSV = (
    Path(__file__).resolve().parent.parent / "kolada" / "data" / "municipalities_scb_290.csv"
)


@functools.cache
def municipalities() -> tuple[tuple[str, str], ...]:
    """(Kolada id, name) of every municipality, by name."""
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as f:
        rows = [(row["kommunkod"], row["kommun"]) for row in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda r: r[1]))


def name_of(kolada_id: str) -> str | None:
    return dict(municipalities()).get(kolada_id)
