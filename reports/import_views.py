"""Spreadsheet import in three steps: download a template and upload it, preview, confirm.

The upload is read and compared at once, and its plan kept in an ``ImportBatch`` row; the
preview page shows exactly what would change, and only its confirm button writes. Values need
``access.can_report`` on the scorecard's unit, targets ``access.can_edit``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisation import access
from scorecards import adoption
from scorecards.models import Scorecard

from . import imports
from .forms import ImportForm
from .imports import ACTIONS, YEAR_MAX, YEAR_MIN, NotApplicable, Plan
from .models import ImportBatch, ImportKind, ImportState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_SLUGS = {"utfall": ImportKind.VALUES, "malvarden": ImportKind.TARGETS}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}


def _card_and_kind(request: HttpRequest, pk: int, slug: str) -> tuple[Scorecard, str]:
    card = access.scorecard_for(request.user, pk)
    kind = KIND_SLUGS.get(slug)
    if kind is None:
        raise Http404
    access.require(access.may_import(request.user, card, kind))
    return card, kind


def _target_years(card: Scorecard) -> list[int]:
    last = max(card.year, card.programme.end_year)
    return list(range(card.year, min(last, card.year + 10) + 1))


def _render_start(request: HttpRequest, card: Scorecard, **forms) -> HttpResponse:
    can_values = access.may_import(request.user, card, ImportKind.VALUES)
    can_targets = access.may_import(request.user, card, ImportKind.TARGETS)
    access.require(can_values or can_targets)
    context = {
        "card": card,
        "unit": card.unit,
        "can_values": can_values,
        "can_targets": can_targets,
        "values_form": forms.get(ImportKind.VALUES) or ImportForm(prefix="utfall"),
        "targets_form": forms.get(ImportKind.TARGETS) or ImportForm(prefix="malvarden"),
        "target_years": _target_years(card),
        "recent": ImportBatch.objects.filter(scorecard=card, created_by=request.user)[:5],
    }
    return render(request, "reports/import_start.html", context)


@login_required
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_start(request, access.scorecard_for(request.user, pk))


@login_required
def import_template(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    card, kind = _card_and_kind(request, pk, kind)
    if kind == ImportKind.VALUES:
        year = card.year
        data = imports.values_template(card)
    else:
        try:
            year = int(request.GET.get("ar") or card.year)
        except ValueError:
            raise Http404 from None
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise Http404
        data = imports.targets_template(card, year)
    name = f"{SLUG_OF[kind]}-{card.unit.code}-{year}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def import_upload(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    card, kind = _card_and_kind(request, pk, kind)
    form = ImportForm(request.POST, request.FILES, prefix=SLUG_OF[kind])
    if form.is_valid():
        try:
            batch = imports.batch_create(
                card=card, kind=kind, upload=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("import_preview", batch_id=batch.pk)
    return _render_start(request, card, **{kind: form})


def _needs_reason(batch: ImportBatch) -> bool:
    """Targets imported into an adopted scorecard change what was decided: they need a reason
    (scorecards.adoption); values never do."""
    return batch.kind == ImportKind.TARGETS and adoption.needs_reason(batch.scorecard)


def _apply(request: HttpRequest, batch: ImportBatch, reason: str) -> ImportBatch:
    """Applies the batch; an applied target import into an adopted scorecard is marked "ändrat
    efter beslut" in the same transaction."""
    with transaction.atomic():
        batch = imports.batch_apply(batch=batch, user=request.user)
        if batch.state == ImportState.APPLIED and _needs_reason(batch):
            what = _("Målvärden %(year)s importerade från %(file)s") % {
                "year": batch.year,
                "file": batch.filename,
            }
            adoption.record_change(batch.scorecard, request.user, reason, kind="target", what=what)
    return batch


@login_required
def import_preview(request: HttpRequest, batch_id) -> HttpResponse:
    """The plan of an upload (GET), and confirming or cancelling it (POST)."""
    batch = get_object_or_404(
        ImportBatch.objects.select_related("scorecard__unit", "scorecard__programme"),
        pk=batch_id,
        created_by=request.user,  # an upload is its uploader's; to anyone else it does not exist
    )
    card = batch.scorecard
    access.require_visible(access.can_view_scorecard(request.user, card))
    access.require(access.may_import(request.user, card, batch.kind))
    if request.method == "POST":
        if "cancel" in request.POST and batch.state == ImportState.PREVIEW:
            batch.delete()
            messages.info(request, _("Importen är avbruten. Inget har sparats."))
            return redirect("import_start", pk=card.pk)
        reason = request.POST.get("change_reason", "").strip()[: adoption.REASON_MAX]
        if _needs_reason(batch) and not reason:
            messages.error(
                request, _("Styrkortet är fastställt: ange varför det ändras efter beslutet.")
            )
            return redirect("import_preview", batch_id=batch.pk)
        try:
            batch = _apply(request, batch, reason)
        except NotApplicable as error:
            messages.error(request, error.messages[0])
        else:
            if batch.state == ImportState.APPLIED:
                messages.success(request, _("Importen är klar."))
            else:
                messages.error(
                    request, _("Inget sparades: något har ändrats sedan filen lästes in.")
                )
        return redirect("import_preview", batch_id=batch.pk)
    plan = Plan.from_json(batch.plan)
    groups = {action: [c for c in plan.changes if c.action == action] for action in ACTIONS}
    context = {
        "batch": batch,
        "card": card,
        "unit": card.unit,
        "plan": plan,
        "counts": plan.counts(),
        "groups": groups,
        "to_change": len(plan.changes) - len(groups[imports.UNCHANGED]),
        "result": batch.plan.get("result"),
        "is_values": batch.kind == ImportKind.VALUES,
        "slug": SLUG_OF[batch.kind],
        "needs_reason": _needs_reason(batch),
    }
    return render(request, "reports/import_preview.html", context)
