"""The value-entry page: every metric due for a scorecard and period, saved all at once."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS
from django.utils.translation import ngettext

from organisation import access
from scorecards.models import Scorecard

from . import trend_arrows
from .entry import RowInput, entry_rows, measurements_save
from .entry_html import rows_html
from .locking import is_locked


def _month_from(request: HttpRequest, card: Scorecard) -> int:
    raw = request.GET.get("period") or request.POST.get("period") or ""
    try:
        year, month = (int(p) for p in raw.split("-"))
        if year == card.year and 1 <= month <= 12:
            return month
    except ValueError:
        pass
    today = date.today()
    if card.year < today.year:
        return 12
    if card.year > today.year:
        return 1
    return max(1, today.month - 1)  # the last completed month


@login_required
def value_entry(request: HttpRequest, pk: int) -> HttpResponse:
    card = access.scorecard_for(request.user, pk, need=access.REPORT, related=("unit",))
    month = _month_from(request, card)
    rows = entry_rows(card, month)
    result = None
    if request.method == "POST":
        inputs = [
            RowInput(
                indicator_id=row.indicator.pk,
                value=request.POST.get(f"v-{row.indicator.pk}", ""),
                comment=request.POST.get(f"c-{row.indicator.pk}", ""),
                version=_int_or_none(request.POST.get(f"ver-{row.indicator.pk}")),
            )
            for row in rows
            if f"v-{row.indicator.pk}" in request.POST
        ]
        result = measurements_save(
            unit=card.unit,
            year=card.year,
            month=month,
            inputs=inputs,
            user=request.user,
            allowed={row.indicator.pk: row.indicator for row in rows},
        )
        if result.ok:
            text = ngettext("%(n)d värde sparat.", "%(n)d värden sparade.", result.changed) % {
                "n": result.changed
            }
            if not request.htmx:
                messages.success(request, text)
                return redirect(f"{request.path}?period={card.year}-{month:02d}")
            rows = entry_rows(card, month)
            result.message = text
        else:
            posted = {i.indicator_id: i for i in inputs}
            for row in rows:
                row.error = result.errors.get(row.indicator.pk, "")
                if row.indicator.pk in posted:
                    row.posted_value = posted[row.indicator.pk].value
                    row.posted_comment = posted[row.indicator.pk].comment
    trend_arrows.annotate_metrics(  # last year's values are the rows' own, already read
        [row.result for row in rows],
        card.year,
        last_year={(row.indicator.pk, card.unit_id): row.last_year for row in rows},
    )
    locked = is_locked(card.year, month, card.unit)
    context = {
        "card": card,
        "unit": card.unit,
        "rows": rows,
        "month": month,
        "month_name": MONTHS[month],
        "months": [(m, MONTHS[m]) for m in range(1, 13)],
        "locked": locked,
        "rows_html": rows_html(rows, locked=locked),
        "result": result,
    }
    template = "followup/value_entry.html"
    if request.htmx:
        template += "#entry-form"
    return render(request, template, context)


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None
