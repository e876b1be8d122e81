"""Exports (.xlsx), PDF reports and open data.

A scorecard's exports and reports follow the scorecard's visibility (``access.can_view_scorecard``:
drafts answer 404 to outsiders); open data is what an anonymous visitor may read.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

import audit
from assignments.exports import assignment_sheet
from audit.models import Event
from followup.models import FollowUpOccasion
from internalcontrol.exports import control_sheet
from organisation import access
from organisation.models import OrgUnit
from scorecards.models import Scorecard

from . import opendata, pdf_pages, prepared, tasks
from .data import cards_for_report, followup_reports, scorecard_report
from .exports import followup_xlsx, scorecard_xlsx
from .pdf import cache_key

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _card(request: HttpRequest, pk: int) -> Scorecard:
    card = get_object_or_404(cards_for_report(Scorecard.objects.all()), pk=pk)
    access.require_visible(access.can_view_scorecard(request.user, card))
    return card


def _audit_internal(request: HttpRequest, cards, what: str) -> None:
    """Exports that include drafts (not public) go into the audit log."""
    drafts = [card.pk for card in cards if not card.is_public]
    if drafts:
        audit.record(Event.EXPORT, request.user, request=request, what=what, scorecards=drafts)


def _occasion(card: Scorecard, pk: int) -> FollowUpOccasion:
    return get_object_or_404(FollowUpOccasion, pk=pk, year=card.year)


def _file(data: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


# --- spreadsheets ---------------------------------------------------------------------------


@require_safe
def scorecard_export(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    _audit_internal(request, [card], "scorecard_xlsx")
    data = scorecard_xlsx(scorecard_report(card))
    return _file(data, XLSX, f"styrkort-{card.unit.code}-{card.year}.xlsx")


@require_safe
def followup_export(request: HttpRequest, pk: int, occasion_pk: int) -> HttpResponse:
    card = _card(request, pk)
    occasion = _occasion(card, occasion_pk)
    _audit_internal(request, [card], "followup_xlsx")
    data = followup_xlsx(followup_reports([card], occasion), occasion)
    name = f"uppfoljning-{card.unit.code}-{occasion.year}-{occasion.end_month:02d}.xlsx"
    return _file(data, XLSX, name)


@require_safe
@login_required
def occasion_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every scorecard of the occasion's year that the user may read, in one workbook."""
    occasion = get_object_or_404(FollowUpOccasion, pk=pk)
    cards = list(
        cards_for_report(Scorecard.objects.filter(year=occasion.year)).filter(
            access.visible_scorecards_q(request.user)
        )
    )
    # In the order of the organisation tree: the city first, each unit before those below it.
    tree = OrgUnit.objects.with_tree_fields().values_list("pk", flat=True)
    position = {pk: i for i, pk in enumerate(tree)}
    cards.sort(key=lambda card: position.get(card.unit_id, len(position)))
    _audit_internal(request, cards, "occasion_xlsx")
    sheets = (assignment_sheet(request.user, occasion), control_sheet(request.user, occasion))
    data = followup_xlsx(followup_reports(cards, occasion), occasion, sheets=sheets)
    return _file(data, XLSX, f"uppfoljning-{occasion.year}-{occasion.end_month:02d}.xlsx")


# --- PDF ------------------------------------------------------------------------------------


# Laying out a report takes seconds at a large city's scale: the worker does it and the page
# hands out what it stored, or waits for it (reports.prepared). The HTML is cheap; its hash is
# the file's key. The cover shows the date, not the time, so the key holds for a day.


def _pdf(request: HttpRequest, card: Scorecard, html: str, name: str, queue, what: str):
    download = prepared.Download(
        key=cache_key(html),
        filename=name,
        content_type="application/pdf",
        queue=queue,
        what=_("PDF:en"),
        back_url=card.get_absolute_url(),
        inline=True,
        on_serve=lambda: _audit_internal(request, [card], what),
    )
    return prepared.respond(request, download)


@require_safe
def scorecard_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    card = _card(request, pk)
    today = timezone.localdate()
    html = pdf_pages.scorecard_html(card, today)

    def queue(**job):
        tasks.scorecard_pdf_task.enqueue(scorecard_id=card.pk, generated=str(today), **job)

    return _pdf(request, card, html, pdf_pages.scorecard_filename(card), queue, "scorecard_pdf")


@require_safe
def followup_pdf(request: HttpRequest, pk: int, occasion_pk: int) -> HttpResponse:
    card = _card(request, pk)
    occasion = _occasion(card, occasion_pk)
    today = timezone.localdate()
    html = pdf_pages.followup_html(card, occasion, today)

    def queue(**job):
        tasks.followup_pdf_task.enqueue(
            scorecard_id=card.pk, occasion_id=occasion.pk, generated=str(today), **job
        )

    name = pdf_pages.followup_filename(card, occasion)
    return _pdf(request, card, html, name, queue, "followup_pdf")


# --- open data ------------------------------------------------------------------------------


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    cards = opendata.public_scorecards()
    context = {
        "licence": opendata.licence(),
        "columns": opendata.column_docs(),
        "card_count": cards.count(),
        "years": sorted(set(cards.values_list("year", flat=True)), reverse=True),
    }
    return render(request, "reports/open_data.html", context)


def _open_headers(response) -> StreamingHttpResponse:
    response["Access-Control-Allow-Origin"] = "*"  # public data, readable from any web page
    response["Cache-Control"] = "public, max-age=300"
    licence = opendata.licence()
    if licence["url"]:
        response["Link"] = f'<{licence["url"]}>; rel="license"'
    return response


@require_safe
def open_data_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        opendata.csv_rows(opendata.collect()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="styrkort.csv"'
    return _open_headers(response)


@require_safe
def open_data_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        opendata.json_chunks(opendata.collect()), content_type="application/json"
    )
    return _open_headers(response)
