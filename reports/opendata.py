"""Open data: every adopted and archived scorecard with its goals, metrics, targets, values and
statuses, as CSV and JSON, for anyone (no sign-in).

What is public is decided by ``organisation.access`` for an anonymous visitor, exactly as on the
pages. Identifiers are stable: database ids of scorecards, goals, metrics and indicators never
change for an object, units carry their code and indicators their code (and Kolada KPI).

The data is gathered in a fixed number of queries per scorecard year (``statuses_at`` is
called once per year, however many scorecards share it) and then streamed.
"""

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.site import site_settings
from core.spreadsheet import safe_csv_cell
from core.text import clean_text
from followup import scales, trend_arrows
from followup.assessments import latest_assessments
from followup.evaluation import FollowUpPoint, GoalResult, statuses_at
from followup.models import Assessment
from organisation import access
from scorecards.models import Goal, Scorecard

LICENCES = {
    "CC0-1.0": ("CC0 1.0 Universell", "https://creativecommons.org/publicdomain/zero/1.0/deed.sv"),
    "CC-BY-4.0": (
        "Creative Commons Erkännande 4.0 Internationell",
        "https://creativecommons.org/licenses/by/4.0/deed.sv",
    ),
}
CHUNK = 2000  # goal ids per evaluation, well under every database's parameter limit

# One row per metric (a goal without metrics gets one row with the metric columns empty).
COLUMNS = [
    ("styrkort_id", _("Styrkortets id (stabilt).")),
    ("enhet_kod", _("Organisationsenhetens kod (stabil).")),
    ("enhet_namn", _("Organisationsenhetens namn.")),
    ("enhet_typ", _("kommun, styrelse, namnd, bolag, forvaltning, avdelning eller enhet.")),
    ("ar", _("Året styrkortet gäller.")),
    ("styrkort_status", _("adopted (fastställt) eller archived (arkiverat).")),
    ("beslut", _("Beslutet bakom styrkortet: organ, datum, paragraf, diarienummer.")),
    ("malprogram", _("Målprogrammet styrkortet hör till.")),
    ("perspektiv", _("Perspektivet målet hör till.")),
    ("mal_id", _("Målets id (stabilt).")),
    ("mal", _("Målet.")),
    ("mal_prioriterat", _("true om målet är prioriterat.")),
    ("mal_bidrar_till", _("Id för de mål i överordnade styrkort som målet bidrar till (målkedjan), åtskilda med mellanslag.")),
    ("mal_status", _("Målets status enligt mätetalen: met, close, not_met eller no_value.")),
    ("mal_bedomning", _("Senaste bedömning av målet under året (met, close, not_met, not_assessed, improving, unchanged, worsening).")),
    ("mal_bedomning_tillfalle", _("Uppföljningstillfället för bedömningen.")),
    ("matetal_id", _("Mätetalets id på målet (stabilt).")),
    ("indikator_id", _("Mätetalsdefinitionens id (stabilt, samma för alla styrkort som följer upp den).")),
    ("indikator_kod", _("Mätetalsdefinitionens kod (stabil).")),
    ("matetal", _("Mätetalets namn.")),
    ("matenhet", _("Måttenhet, t.ex. % eller kWh/m².")),
    ("riktning", _("higher (högre är bättre), lower (lägre är bättre) eller range.")),
    ("kolada_kpi", _("Nyckeltalets id i Kolada, om det finns.")),
    ("malvarde_jamforelse", _("lte (högst), gte (minst), eq (lika med) eller range (intervall).")),
    ("malvarde", _("Målvärdet (undre gräns för intervall).")),
    ("malvarde_ovre", _("Övre gräns för intervall.")),
    ("malvarde_tolerans", _("Hur långt från målet ett värde får ligga och räknas som nära.")),
    ("utfall", _("Årets utfall hittills, så som det jämförs med målvärdet.")),
    ("status", _("Mätetalets status: met, close, not_met, no_value eller no_target.")),
    *[(f"utfall_{m:02d}", "") for m in range(1, 13)],  # explained as one in column_docs()
    ("avser", _("Vad utfall och status avser, t.ex. 'utfall t.o.m. april 2026' eller 'helår 2025' (ett årsvärde från förra året).")),
    ("malvarde_hittills", _("För mätetal som summeras över året: den del av årets målvärde som utfallet jämförs med, t.ex. 'målvärde t.o.m. april: max 50 kWh/m²'.")),
    ("prognos_helar", _("Senaste prognos för helåret (ett förväntat årsvärde, inte ett utfall).")),
    ("prognos_status", _("Prognosen bedömd mot årets målvärde: met, close, not_met eller no_target.")),
]  # fmt: skip


def column_docs() -> list[tuple[str, str]]:
    """The columns as the open data page explains them, the twelve monthly ones as one."""
    monthly = [c for c in COLUMNS if c[0].startswith("utfall_")]
    return [c for c in COLUMNS if c not in monthly] + [
        ("utfall_01 … utfall_12", _("Utfallet för perioden som slutar i månad 1–12 (januari–december).")),
    ]  # fmt: skip


def licence() -> dict[str, str]:
    key = settings.OPEN_DATA_LICENCE
    name, url = LICENCES.get(key, (key, ""))
    return {"id": key, "namn": name, "url": url}


@dataclass
class OpenGoal:
    goal: Goal
    result: GoalResult
    assessment: Assessment | None
    contributes_to: list[int]


def public_scorecards():
    """The scorecards an anonymous visitor may read, in a stable order."""
    return (
        Scorecard.objects.filter(access.visible_scorecards_q(AnonymousUser()))
        .select_related("unit", "programme")
        .order_by("year", "unit__code", "pk")
    )


def collect() -> list[tuple[Scorecard, list[OpenGoal]]]:
    cards = list(public_scorecards())
    visible = access.visible_scorecards_q(AnonymousUser(), prefix="scorecard__")
    goals = list(
        Goal.objects.filter(scorecard__in=public_scorecards().values("pk"))
        .select_related("perspective")
        .prefetch_related(
            Prefetch("contributes_to", queryset=Goal.objects.filter(visible).only("pk"))
        )
        .order_by("perspective__order", "order", "pk")
    )
    year_of = {c.pk: c.year for c in cards}
    by_year: dict[int, list[int]] = defaultdict(list)
    for g in goals:
        by_year[year_of[g.scorecard_id]].append(g.pk)
    results: dict[int, GoalResult] = {}
    assessed: dict[int, Assessment] = {}
    for year, ids in by_year.items():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found = statuses_at(chunk, FollowUpPoint(year))
            trend_arrows.annotate(found.values(), year)  # each metric's latest forecast
            results |= found
            assessed |= latest_assessments(chunk, year)
    by_card: dict[int, list[OpenGoal]] = defaultdict(list)
    for g in goals:
        contributes = sorted(up.pk for up in g.contributes_to.all())
        by_card[g.scorecard_id].append(OpenGoal(g, results[g.pk], assessed.get(g.pk), contributes))
    return [(card, by_card[card.pk]) for card in cards]


def number(value: Decimal | None) -> str:
    """A plain decimal: "150", "87.5" — no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _json_number(value: Decimal | None):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


class _SafeWriter:
    """A CSV writer whose every cell goes through ``core.spreadsheet.safe_csv_cell``: text a
    spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+SUM(…)``, ``@SUM``) starts with an
    apostrophe, characters no spreadsheet can hold are removed, numbers stay numbers."""

    def __init__(self):
        self.writer = csv.writer(_Echo(), lineterminator="\r\n")

    def writerow(self, cells) -> str:
        return self.writer.writerow([safe_csv_cell(cell) for cell in cells])


def csv_rows(data) -> Iterator[str]:
    """The CSV lines: UTF-8, comma, decimal point, one row per metric (RFC 4180)."""
    writer = _SafeWriter()
    yield writer.writerow([name for name, _help in COLUMNS])
    for card, goals in data:
        card_cells = [
            card.pk,
            card.unit.code,
            card.unit.name,
            card.unit.kind,
            card.year,
            card.status,
            card.decision_text,
            str(card.programme),
        ]
        for item in goals:
            g, a = item.goal, item.assessment
            goal_cells = [
                g.perspective.name,
                g.pk,
                g.title,
                "true" if g.prioritised else "false",
                " ".join(str(pk) for pk in item.contributes_to),
                item.result.suggested.value,
                a.status if a else "",
                a.occasion.name if a else "",
            ]
            if not item.result.metrics:
                yield writer.writerow([*card_cells, *goal_cells, *[""] * 29])
            for r in item.result.metrics:
                ind, t = r.metric.indicator, r.target
                months = {m.month: m.value for m in r.values}
                yield writer.writerow(
                    [
                        *card_cells,
                        *goal_cells,
                        r.metric.pk,
                        ind.pk,
                        ind.code,
                        ind.name,
                        ind.unit,
                        ind.direction,
                        ind.kolada_kpi,
                        t.comparator if t else "",
                        number(t.value) if t else "",
                        number(t.value_high) if t else "",
                        number(t.tolerance) if t else "",
                        number(r.value),
                        r.status.value,
                        *[number(months.get(m)) for m in range(1, 13)],
                        r.covers,
                        r.target_so_far,
                        *_forecast_cells(r),
                    ]
                )


# --- JSON -----------------------------------------------------------------------------------


def _card_json(card: Scorecard, goals: list[OpenGoal]) -> dict:
    return {
        "id": card.pk,
        "enhet": {"kod": card.unit.code, "namn": card.unit.name, "typ": card.unit.kind},
        "ar": card.year,
        "status": card.status,
        "beslut": {
            "organ": card.decided_by,
            "datum": card.decided_on.isoformat() if card.decided_on else None,
            "paragraf": card.paragraph,
            "diarienummer": card.diary_number,
        },
        "malprogram": {
            "id": card.programme.pk,
            "namn": card.programme.name,
            "vision": card.programme.vision,
            "forsta_ar": card.programme.start_year,
            "sista_ar": card.programme.end_year,
        },
        "mal": [_goal_json(item) for item in goals],
    }


def _goal_json(item: OpenGoal) -> dict:
    g, a = item.goal, item.assessment
    assessment = None
    if a is not None:
        choice = scales.choice_for(a.status)
        assessment = {
            "status": a.status,
            "text": str(choice.label) if choice else a.status,
            "tillfalle": a.occasion.name,
            "analys": a.analysis,
            "vid_arets_slut": a.forecast_status or None,
        }
    return {
        "id": g.pk,
        "perspektiv": g.perspective.name,
        "titel": g.title,
        "beskrivning": g.description,
        "prioriterat": g.prioritised,
        "bidrar_till": item.contributes_to,
        "status": item.result.suggested.value,
        "status_text": item.result.suggested.label,
        "bedomning": assessment,
        "matetal": [_metric_json(r) for r in item.result.metrics],
    }


def _metric_json(r) -> dict:
    ind, t = r.metric.indicator, r.target
    target = None
    if t is not None:
        target = {
            "jamforelse": t.comparator,
            "varde": _json_number(t.value),
            "ovre": _json_number(t.value_high),
            "tolerans": _json_number(t.tolerance),
            "text": t.label,
            "beslut": t.decision_text,
        }
    return {
        "id": r.metric.pk,
        "indikator": {
            "id": ind.pk,
            "kod": ind.code,
            "namn": ind.name,
            "enhet": ind.unit,
            "riktning": ind.direction,
            "frekvens": ind.frequency,
            "kolada_kpi": ind.kolada_kpi or None,
        },
        "vikt": _json_number(r.metric.weight),
        "malvarde": target,
        "utfall": _json_number(r.value),
        "status": r.status.value,
        "status_text": r.status.label,
        "avser": r.covers,
        "malvarde_hittills": r.target_so_far or None,
        "varden": [{"manad": m.month, "varde": _json_number(m.value)} for m in r.values],
        "prognos_helar": _forecast_json(r),
    }


def _forecast_cells(r) -> list[str]:
    forecast = getattr(r, "forecast", None)
    if forecast is None:
        return ["", ""]
    return [number(forecast.value), r.forecast_status.value if r.forecast_status else ""]


def _forecast_json(r) -> dict | None:
    """The latest full-year forecast, apart from the values: what is expected, not measured."""
    forecast = getattr(r, "forecast", None)
    if forecast is None:
        return None
    status = r.forecast_status
    return {
        "varde": _json_number(forecast.value),
        "avser_tillfalle_till_och_med_manad": forecast.month,
        "status": status.value if status else None,
    }


def _clean(item):
    """The document with ``core.text.clean_text`` applied to every string: a reader that turns
    it into XML or a spreadsheet meets no character those cannot hold."""
    if isinstance(item, dict):
        return {key: _clean(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_clean(value) for value in item]
    return clean_text(item)


def json_chunks(data) -> Iterator[str]:
    """The JSON document in pieces: metadata, then one scorecard at a time."""
    head = {
        "utgivare": site_settings().name,
        "licens": licence(),
        "skapad": timezone.now().isoformat(timespec="seconds"),
        "beskrivning": str(
            _("Fastställda och arkiverade styrkort med mål, mätetal, målvärden, utfall och status.")
        ),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "styrkort": ['
    for i, (card, goals) in enumerate(data):
        card_json = _clean(_card_json(card, goals))
        yield ("," if i else "") + json.dumps(card_json, ensure_ascii=False)
    yield "]}\n"
