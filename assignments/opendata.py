"""Open data: every assignment whose decision is taken (it has a date), with each receiving
unit's latest status, as CSV and JSON for anyone. Drafts are never in it (``access`` for an
anonymous visitor decides, as on the pages)."""

import json

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.site import site_settings
from core.text import clean_text
from organisation import access
from reports.opendata import _SafeWriter, licence

from . import rules
from .models import Assignment, AssignmentReceiver, AssignmentReport

COLUMNS = [
    "uppdrag_id", "rubrik", "text", "beslutande_organ", "beslutsdatum", "paragraf",
    "diarienummer", "utfardare_kod", "utfardare_namn", "klart_senast", "avslutat",
    "mottagare_kod", "mottagare_namn", "senaste_status", "senaste_tillfalle", "kommentar",
    "forsenat", "mal_id",
]  # fmt: skip


def public_assignments():
    """Decided assignments with their receivers' reports and goal links, in a few queries."""
    reports = AssignmentReport.objects.select_related("occasion").order_by(
        "occasion__year", "occasion__end_month"
    )
    receivers = rules.with_latest(AssignmentReceiver.objects.select_related("unit"))
    return (
        Assignment.objects.filter(access.visible_assignments_q(AnonymousUser()))
        .select_related("issuer")
        .prefetch_related(
            Prefetch("receivers", receivers.prefetch_related(Prefetch("reports", reports))),
            "goals",
        )
        .order_by("pk")
    )


def _receiver_json(receiver, today) -> dict:
    reports = list(receiver.reports.all())
    latest = reports[-1] if reports else None
    return {
        "kod": receiver.unit.code,
        "namn": receiver.unit.name,
        "senaste_status": latest.status if latest else None,
        "senaste_tillfalle": str(latest.occasion) if latest else None,
        "kommentar": latest.comment if latest else "",
        "forsenat": rules.is_receiver_overdue(receiver, today),
        "rapporter": [
            {"tillfalle": str(r.occasion), "ar": r.occasion.year, "status": r.status,
             "kommentar": r.comment}
            for r in reports
        ],
    }  # fmt: skip


def assignment_json(a: Assignment, today) -> dict:
    return {
        "id": a.pk,
        "rubrik": a.title,
        "text": a.text,
        "beslut": {
            "organ": a.decided_by,
            "datum": a.decided_on.isoformat() if a.decided_on else None,
            "paragraf": a.paragraph,
            "diarienummer": a.diary_number,
        },
        "utfardare": {"kod": a.issuer.code, "namn": a.issuer.name},
        "klart_senast": a.deadline.isoformat() if a.deadline else None,
        "avslutat": a.closed_on.isoformat() if a.closed_on else None,
        "mal_id": [g.pk for g in a.goals.all()],
        "mottagare": [_receiver_json(r, today) for r in a.receivers.all()],
    }


def _clean(item):
    if isinstance(item, dict):
        return {key: _clean(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_clean(value) for value in item]
    return clean_text(item) if isinstance(item, str) else item


def csv_rows(assignments):
    writer = _SafeWriter()
    today = timezone.localdate()
    yield writer.writerow(COLUMNS)
    for a in assignments:
        data = assignment_json(a, today)
        for r in data["mottagare"]:
            yield writer.writerow(
                [
                    a.pk, a.title, a.text, a.decided_by, data["beslut"]["datum"], a.paragraph,
                    a.diary_number, a.issuer.code, a.issuer.name, data["klart_senast"] or "",
                    data["avslutat"] or "", r["kod"], r["namn"], r["senaste_status"] or "",
                    r["senaste_tillfalle"] or "", r["kommentar"],
                    "true" if r["forsenat"] else "false",
                    " ".join(str(pk) for pk in data["mal_id"]),
                ]
            )  # fmt: skip


def json_chunks(assignments):
    head = {
        "utgivare": site_settings().name,
        "licens": licence(),
        "skapad": timezone.now().isoformat(timespec="seconds"),
        "beskrivning": _("Uppdrag från fattade beslut, med varje mottagares status."),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "uppdrag": ['
    today = timezone.localdate()
    for i, a in enumerate(assignments):
        yield ("," if i else "") + json.dumps(_clean(assignment_json(a, today)), ensure_ascii=False)
    yield "]}\n"


def _open(response) -> StreamingHttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def open_data_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(public_assignments()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="uppdrag.csv"'
    return _open(response)


@require_safe
def open_data_json(request: HttpRequest) -> StreamingHttpResponse:
    return _open(
        StreamingHttpResponse(json_chunks(public_assignments()), content_type="application/json")
    )
