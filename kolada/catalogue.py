"""The KPI catalogue: loaded from the shipped CSV or from the API, one upsert for all rows."""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import KoladaKpi

SHIPPED_CATALOGUE = Path(__file__).resolve().parent / "data" / "kpi_catalogue_v3_2026-03.csv"
FIELDS = [
    "title",
    "description",
    "unit",
    "is_divided_by_gender",
    "municipality_type",
    "auspice",
    "operating_area",
    "perspective",
    "prel_publication_date",
    "publication_date",
    "publ_period",
    "has_ou_data",
    "search_text",
]
# The last part of a Kolada title names the unit when it starts like one: "…, kr/inv",
# "…, andel (%)", "…, ton CO2-ekv/inv". Anything else (year spans, "Nej=0") is not a unit.
_UNIT_START = re.compile(
    r"^(%|kr\b|tkr\b|mnkr\b|mkr\b|antal\b|andel\b|kg\b|ton\b|mwh\b|kwh\b|gwh\b|index\b|dagar\b"
    r"|timmar\b|år\b|minuter\b|kvm\b|m2\b|km\b|liter\b|procent\b|medelvärde\b|poäng\b|balanstal\b)",
    re.IGNORECASE,
)


class CatalogueError(Exception):
    pass


@dataclass
class CatalogueResult:
    loaded: int
    removed: int


def unit_from_title(title: str) -> str:
    """The unit a Kolada title ends with, or "" when it does not say."""
    # A trailing year span such as "(-2024)" says when the KPI ended, not what it measures.
    title = re.sub(r"\s*\(\s*\d{0,4}\s*-\s*\d{0,4}\s*\)\s*$", "", title.strip())
    if re.search(r"\(%\)\s*$", title) or title.endswith("%"):
        return "%"
    if "," not in title:
        return ""
    last = title.rsplit(",", 1)[1].strip()
    if len(last) > 40 or not _UNIT_START.match(last):
        return ""
    return re.sub(r"^andel\s+", "", last, flags=re.IGNORECASE).strip() or last


def read_csv(path: Path) -> list[dict]:
    try:
        with Path(path).open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise CatalogueError(_("Filen %(path)s finns inte.") % {"path": path}) from None
    except (UnicodeDecodeError, csv.Error) as e:
        raise CatalogueError(
            _("Filen %(path)s går inte att läsa som CSV: %(error)s") % {"path": path, "error": e}
        ) from None
    if rows and not {"id", "title"} <= set(rows[0]):
        raise CatalogueError(_("Filen saknar kolumnerna id och title."))
    return rows


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("true", "1", "yes", "ja")


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def kpi_from_record(record: dict) -> KoladaKpi:
    """A KoladaKpi (unsaved) from a catalogue row or an API record; they share field names."""
    kpi_id = _text(record.get("id"), 20).upper()
    title = _text(record.get("title"), 400)
    if not kpi_id or not title:
        raise CatalogueError(_("En rad saknar id eller titel: %(row)s") % {"row": record})
    # "\n" arrives literally escaped in some descriptions.
    description = str(record.get("description") or "").replace("\\n", "\n").strip()
    municipality_type = _text(record.get("municipality_type"), 1)
    return KoladaKpi(
        id=kpi_id,
        title=title,
        description=description,
        unit=unit_from_title(title)[:60],
        is_divided_by_gender=_bool(record.get("is_divided_by_gender")),
        municipality_type=municipality_type if municipality_type in ("K", "L", "A") else "",
        auspice=_text(record.get("auspice"), 1),
        operating_area=_text(record.get("operating_area"), 200),
        perspective=_text(record.get("perspective"), 100),
        prel_publication_date=_date(record.get("prel_publication_date")),
        publication_date=_date(record.get("publication_date")),
        publ_period=_text(record.get("publ_period"), 10),
        has_ou_data=_bool(record.get("has_ou_data")),
        search_text=KoladaKpi.make_search_text(kpi_id, title),
    )


def catalogue_load(*, records: Iterable[dict], prune: bool = True) -> CatalogueResult:
    """Insert or update every KPI in ``records``; with ``prune``, remove those no longer listed.

    All or nothing: a bad row leaves the stored catalogue as it was.
    """
    kpis = {}
    for record in records:
        kpi = kpi_from_record(record)
        kpis[kpi.id] = kpi
    if not kpis:
        raise CatalogueError(_("Katalogen är tom; ingenting laddades."))
    with transaction.atomic():
        KoladaKpi.objects.bulk_create(
            kpis.values(),
            batch_size=500,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=FIELDS,
        )
        removed = 0
        if prune:
            stale = sorted(set(KoladaKpi.objects.values_list("id", flat=True)) - set(kpis))
            for start in range(0, len(stale), 500):
                count, _by_model = KoladaKpi.objects.filter(
                    id__in=stale[start : start + 500]
                ).delete()
                removed += count
    return CatalogueResult(loaded=len(kpis), removed=removed)
