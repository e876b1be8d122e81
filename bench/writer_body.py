"""The body an API writer of the load test posts to ``/api/v1/values/bulk/`` (plain Python, no
Django: ``bench/locustfile.py`` runs in locust's own environment, and the tests run it too)."""

from decimal import Decimal


def bulk_body(writer: dict, current: list[dict], rng) -> dict:
    """Every value the writer's unit has for its month, moved down by up to 2 % and commented: a
    plausible change, so each write refreshes statuses up the goal chain."""
    known = {row["indicator"]: row["value"] for row in current}
    comment = f"Lasttest {rng.randint(1, 10**6)}"
    rows = [
        {"indicator": pk, "value": nudged(known[pk], rng), "comment": comment}
        for pk in writer["indicators"]
        if known.get(pk) is not None
    ]
    return {"unit": writer["unit"], "year": writer["year"], "month": writer["month"], "rows": rows}


def nudged(value, rng) -> str:
    """``value`` moved towards zero by up to 2 % with no more decimals than it had (the API
    refuses more than the indicator stores), as text: the API takes decimals as text ("12.5") so
    none is rounded by a float on the way. Towards zero, never up: the generated values reach
    their plausible bounds (a percentage of 100), and ±2 % wrote 101 % (refused, 422)."""
    value = Decimal(str(value)).normalize()
    places = max(-value.as_tuple().exponent, 0)
    moved = value * Decimal(str(rng.uniform(0.98, 1.0)))
    return str(moved.quantize(Decimal(1).scaleb(-places)))
