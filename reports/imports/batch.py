"""Steps 2 and 3: keep the plan in an ``ImportBatch``, apply it all or nothing."""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_text
from followup.rollup import batched_refresh
from scorecards.models import Scorecard

from ..models import ImportBatch, ImportKind, ImportState
from .cells import read_rows
from .plan import TARGETS_SHEET, VALUES_SHEET, Plan, _Rollback
from .targets import _save_targets, targets_plan
from .templates import _indicators, scorecard_metrics
from .values import _save_values, values_plan

# --- the batch: create, apply ---------------------------------------------------------------


def batch_create(*, card: Scorecard, kind: str, upload, user, year: int | None = None):
    """Read the upload and keep its plan; raises ``ValidationError`` for an unreadable file.

    Nothing but the batch itself is written. Unconfirmed batches older than a day are removed.
    """
    if kind == ImportKind.VALUES:
        rows = read_rows(upload, sheet=VALUES_SHEET)
        plan = values_plan(card, rows, user=user)
        year = card.year
    else:
        rows = read_rows(upload, sheet=TARGETS_SHEET)
        plan = targets_plan(card, rows, year=year)
        year = plan.year
    ImportBatch.objects.stale().delete()
    return ImportBatch.objects.create(
        scorecard=card,
        kind=kind,
        year=year,
        filename=clean_text(getattr(upload, "name", "") or "").replace("\n", " ")[-255:],
        created_by=user,
        plan=plan.as_json(),
    )


class NotApplicable(ValidationError):
    """The batch has errors, or was already applied: nothing to do."""


def batch_apply(*, batch: ImportBatch, user) -> ImportBatch:
    """Write the batch's plan, all or nothing.

    If anything fails now that passed at preview (a period locked since, a value changed by
    someone else), nothing is written, the batch is marked failed and keeps the new errors.
    """
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update()
            .select_related("scorecard__unit")
            .get(pk=batch.pk)
        )
        plan = Plan.from_json(batch.plan)
        if batch.state != ImportState.PREVIEW:
            raise NotApplicable(_("Filen är redan behandlad."))
        if plan.errors:
            raise NotApplicable(_("Filen innehåller fel. Rätta dem och ladda upp filen igen."))
        card = batch.scorecard
        try:
            with transaction.atomic(), batched_refresh():
                if batch.kind == ImportKind.VALUES:
                    allowed = _indicators(scorecard_metrics(card))
                    errors, counts, _failed = _save_values(
                        card, plan.changes, user=user, allowed=allowed
                    )
                else:
                    errors, counts = _save_targets(card, batch.year, plan.changes)
                if errors:
                    raise _Rollback(errors)
        except _Rollback as rollback:
            batch.state = ImportState.FAILED
            batch.plan = {**batch.plan, "errors": [asdict(e) for e in rollback.args[0]]}
        else:
            batch.state = ImportState.APPLIED
            batch.applied_at = timezone.now()
            batch.plan = {**batch.plan, "result": counts}
        batch.save(update_fields=["state", "plan", "applied_at"])
    return batch
