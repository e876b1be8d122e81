"""Benchmarks: our municipality against a comparison group and Riket, from cached Kolada values.

The page reads only the cache (``KoladaValue``), so it works when Kolada cannot be reached; the
sync and ``benchmark_refresh`` fill it. ``rank`` and ``benchmark`` are plain functions of data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.site import site_settings
from scorecards.models import Direction

from .client import KoladaClient, KoladaDatum
from .models import Gender, KoladaMunicipality, KoladaMunicipalityGroup, KoladaValue

RIKET = "0000"
FOUR_PLACES = Decimal("0.0001")
MAX_YEARS = 10
MAX_COMPARISON = 24  # with our own id that is one full path segment for Kolada


def quantize(value: Decimal) -> Decimal:
    """A Kolada value as ``KoladaValue`` and ``Measurement`` store it (four decimals)."""
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def comparison_group_id() -> str:
    return getattr(settings, "KOLADA_COMPARISON_GROUP", "G37394") or ""


def comparison_default() -> list[str]:
    """Members of the configured comparison group, as far as they are known locally."""
    group = KoladaMunicipalityGroup.objects.filter(id=comparison_group_id()).first()
    if group is None:
        return []
    return list(group.members.order_by("title").values_list("id", flat=True))


def parse_municipalities(raw: Iterable[str]) -> tuple[list[str], list[str]]:
    """(valid ids, rejected texts) from ``?m=0581,1880``, repeated ``m`` parameters, or names
    ("Linköping", "Region Gotland"), so a person chooses municipalities by name, not by code."""
    valid, rejected = [], []
    for chunk in raw:
        for item in re.split(r"[,;\n]", chunk):
            for found in _municipality_ids(item.strip()) if item.strip() else []:
                if found.isdigit() and len(found) == 4:
                    if found not in valid:
                        valid.append(found)
                else:
                    rejected.append(found)
    return valid, rejected


def _municipality_ids(item: str) -> list[str]:
    """Codes in ``item`` ("0581 1880") or the code of the municipality it names; else ``item``."""
    from firstrun.municipalities import municipality_guess  # the list shipped in kolada/data

    if all(part.isdigit() for part in item.split()):
        return item.split()
    return [municipality_guess(item)["kolada_id"] or item]


def municipality_choices() -> list[tuple[str, str]]:
    """(Kolada id, name) of every municipality, by name, for choosing by name."""
    from firstrun.municipalities import municipalities

    return list(municipalities())


# ── Storing what Kolada sent ──────────────────────────────────────────────────────────────────


def group_record(records: list[dict], group_id: str) -> dict | None:
    return next((r for r in records if str(r.get("id", "")) == group_id), None)


def group_store(record: dict) -> list[str]:
    """Save a municipality group and its members' names; returns the member ids."""
    group, _created = KoladaMunicipalityGroup.objects.update_or_create(
        id=record["id"], defaults={"title": str(record.get("title") or record["id"])[:300]}
    )
    ids = []
    for member in record.get("members") or []:
        member_id = str(member.get("member_id") or "").strip()
        if not member_id:
            continue
        KoladaMunicipality.objects.update_or_create(
            id=member_id, defaults={"title": str(member.get("member_title") or member_id)[:200]}
        )
        ids.append(member_id)
    group.members.set(ids)
    return ids


def municipalities_store(records: list[dict]) -> int:
    for r in records:
        if r.get("id"):
            KoladaMunicipality.objects.update_or_create(
                id=str(r["id"]),
                defaults={
                    "title": str(r.get("title") or r["id"])[:200],
                    "type": r.get("type") or "",
                },
            )
    return len(records)


def cache_store(rows: list[KoladaDatum]) -> None:
    """Upsert values into the cache; a null or deleted value removes the cached one."""
    keep, drop = {}, set()
    for r in rows:
        key = (r.kpi, r.municipality, r.year, r.gender)
        if r.value is None or r.is_deleted:
            drop.add(key)
            keep.pop(key, None)
        else:
            drop.discard(key)
            keep[key] = KoladaValue(
                kpi=r.kpi,
                municipality=r.municipality,
                year=r.year,
                gender=r.gender,
                value=quantize(r.value),
                count=r.count,
            )
    for kpi, municipality, year, gender in drop:
        KoladaValue.objects.filter(
            kpi=kpi, municipality=municipality, year=year, gender=gender
        ).delete()
    KoladaValue.objects.bulk_create(
        keep.values(),
        batch_size=500,
        update_conflicts=True,
        unique_fields=["kpi", "municipality", "year", "gender"],
        update_fields=["value", "count", "fetched_at"],
    )


def benchmark_refresh(
    *, kpi: str, municipalities: list[str], client: KoladaClient | None = None
) -> int:
    """Fetch every year of ``kpi`` for ``municipalities`` (and their names) into the cache.

    Fetches everything first and then replaces the cached values in one transaction, so a
    failure (which raises ``KoladaError``) leaves the cache as it was. Returns the rows stored.
    """
    own_client = client is None
    client = client or KoladaClient()
    try:
        names = client.municipalities(municipalities)
        rows = client.data(kpis=[kpi], municipalities=municipalities)
    finally:
        if own_client:
            client.close()
    with transaction.atomic():
        municipalities_store(names)
        KoladaValue.objects.filter(kpi=kpi, municipality__in=municipalities).delete()
        cache_store(rows)
    return sum(1 for r in rows if r.value is not None)


# ── The comparison ────────────────────────────────────────────────────────────────────────────


def rank(values: dict[str, Decimal], own: str, direction: str) -> tuple[int, int] | None:
    """(our place, how many) among ``values``, 1 = best by ``direction``; ties share a place.

    None when we have no value, when no one else has one (a "1 av 1" says nothing) or when
    "better" is not defined (a target range).
    """
    if own not in values or direction not in (Direction.HIGHER, Direction.LOWER):
        return None
    if len(values) < 2:
        return None
    mine = values[own]
    if direction == Direction.HIGHER:
        better = sum(1 for v in values.values() if v > mine)
    else:
        better = sum(1 for v in values.values() if v < mine)
    return better + 1, len(values)


@dataclass
class Row:
    municipality: str
    name: str
    kind: str  # "own", "member", "mean" or "riket"
    values: list[Decimal | None]

    @property
    def has_values(self) -> bool:
        return any(v is not None for v in self.values)


@dataclass
class GenderTable:
    gender: str
    label: str
    rows: list[Row]
    ranks: list[tuple[int, int] | None]

    @property
    def own(self) -> Row:
        return next(r for r in self.rows if r.kind == "own")

    def row(self, kind: str) -> Row | None:
        return next((r for r in self.rows if r.kind == kind), None)


@dataclass
class Benchmark:
    kpi: str
    years: list[int]
    tables: list[GenderTable] = field(default_factory=list)
    # Names (us, comparison municipalities, Riket) without any total value in ``years`` …
    without_values: list[str] = field(default_factory=list)
    # … and (name, years without a value) for those with some years missing.
    gaps: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return bool(self.years)


def benchmark(*, kpi: str, own: str, comparison: list[str], direction: str) -> Benchmark:
    """Our values, each comparison municipality's, their mean and Riket's, per year and gender."""
    comparison = [m for m in comparison if m not in (own, RIKET)]
    wanted = [own, *comparison, RIKET]
    cached = KoladaValue.objects.filter(kpi=kpi, municipality__in=wanted).values_list(
        "municipality", "year", "gender", "value"
    )
    data: dict[str, dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for municipality, year, gender, value in cached:
        data[gender][municipality][year] = value
    # Years where we or a comparison municipality have a value; Riket alone adds no column.
    years = sorted(
        {
            y
            for by_mun in data.values()
            for m, series in by_mun.items()
            if m != RIKET
            for y in series
        }
    )[-MAX_YEARS:]
    names = dict(KoladaMunicipality.objects.filter(id__in=wanted).values_list("id", "title"))
    names.setdefault(own, site_settings().name)
    names[RIKET] = _("Riket")  # Kolada's own title is Swedish
    result = Benchmark(kpi=kpi, years=years)
    members = sorted(comparison, key=lambda m: names.get(m, m))
    _missing(result, data.get(Gender.TOTAL, {}), [own, *members, RIKET], names)
    for gender in (Gender.TOTAL, Gender.WOMEN, Gender.MEN):
        series = data.get(gender)
        if not series:
            continue
        rows = [Row(own, names[own], "own", [series.get(own, {}).get(y) for y in years])]
        rows += [
            Row(m, names.get(m, m), "member", [series.get(m, {}).get(y) for y in years])
            for m in sorted(comparison, key=lambda m: names.get(m, m))
        ]
        means = []
        for y in years:
            present = [series[m][y] for m in comparison if y in series.get(m, {})]
            means.append(quantize(sum(present) / len(present)) if present else None)
        if comparison:
            rows.append(Row("", _("Medel för jämförelsekommunerna"), "mean", means))
        rows.append(
            Row(RIKET, names[RIKET], "riket", [series.get(RIKET, {}).get(y) for y in years])
        )
        ranks = [
            rank(
                {m: series[m][y] for m in [own, *comparison] if y in series.get(m, {})},
                own,
                direction,
            )
            for y in years
        ]
        result.tables.append(GenderTable(gender, Gender(gender).label, rows, ranks))
    return result


def _missing(result: Benchmark, totals: dict[str, dict[int, Decimal]], ids, names) -> None:
    """Name who lacks total values in the years shown: wholly, or for some years."""
    for m in ids:
        lacking = [y for y in result.years if y not in totals.get(m, {})]
        if len(lacking) == len(result.years):
            result.without_values.append(names.get(m, m))
        elif lacking:
            result.gaps.append((names.get(m, m), lacking))
