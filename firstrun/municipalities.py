"""Sweden's municipalities as Kolada knows them, from the list shipped in ``kolada/data/``."""

import csv
import functools
from pathlib import Path

DESIGNATIONS = ("kommun", "stad", "region")

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


def municipality_guess(name: str) -> dict[str, str]:
    """Designation and Kolada id read from a name such as "Tanums kommun" or "Malmö stad"."""
    words = name.strip().split()
    designation = words[-1].lower() if words and words[-1].lower() in DESIGNATIONS else ""
    stem = " ".join(words[:-1]) if designation else name.strip()
    by_name = {n.lower(): code for code, n in municipalities()}
    # "Tanums" → "Tanum": the genitive s of the usual "<name>s kommun".
    code = by_name.get(stem.lower()) or by_name.get(stem.lower().removesuffix("s"), "")
    return {"designation": designation, "kolada_id": code}
