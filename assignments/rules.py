"""The rules of assignments (uppdrag), in one place: views, the API, imports, exports, reminders
and the demo call these functions.

* A receiving unit reports a status per follow-up occasion. "Avslutat, ej genomfört" and "Ersatt"
  need a comment saying why (or by what); every status may have one.
* A receiving unit is finished when its latest status is genomfört, avslutat ej genomfört or
  ersatt. It is overdue when the assignment's deadline has passed (strictly before today), the
  assignment is not closed and the unit is not finished.
* An assignment is closed only with a closing decision (body and date) or a comment saying why.
  A closed assignment takes no more reports.
* Reports follow the occasion's lock (city-wide or the unit's subtree) and, like assessments, the
  caller's ``version`` must still be the stored one: whoever saves second is told and overwrites
  nothing (``followup.assessments.StaleVersion``, 409 in the API).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.assessments import StaleVersion
from followup.locking import PeriodLocked, occasion_locked_for
from followup.models import FollowUpOccasion

from .models import Assignment, AssignmentReceiver, AssignmentReport, AssignmentStatus

FINISHED = (AssignmentStatus.DONE, AssignmentStatus.ABANDONED, AssignmentStatus.REPLACED)
NEEDS_COMMENT = (AssignmentStatus.ABANDONED, AssignmentStatus.REPLACED)
ICONS = {
    AssignmentStatus.NOT_STARTED: "○",
    AssignmentStatus.ONGOING: "◐",
    AssignmentStatus.DONE: "✓",
    AssignmentStatus.ABANDONED: "✕",
    AssignmentStatus.REPLACED: "↻",
}
OVERDUE_ICON = "⚠"
DECISION_FIELDS = ("decided_by", "decided_on", "paragraph", "diary_number")


# --- reading --------------------------------------------------------------------------------


def latest_report_q(prefix: str = "") -> Subquery:
    """The status of a receiver's latest report (by occasion), for ``annotate``."""
    latest = AssignmentReport.objects.filter(receiver=OuterRef(f"{prefix}pk")).order_by(
        "-occasion__year", "-occasion__end_month"
    )
    return Subquery(latest.values("status")[:1])


def with_latest(receivers: QuerySet) -> QuerySet:
    """Receivers with ``latest_status`` ("" never reported) computed by the database."""
    return receivers.annotate(latest_status=latest_report_q())


def receiver_overdue_q(today: date | None = None) -> Q:
    """A filter for overdue receivers (annotated by ``with_latest``): the one overdue rule."""
    today = today or timezone.localdate()
    unfinished = Q(latest_status__isnull=True) | ~Q(latest_status__in=FINISHED)
    return Q(assignment__deadline__lt=today, assignment__closed_on__isnull=True) & unfinished


def overdue_assignments_q(today: date | None = None) -> Q:
    """A filter for assignments with at least one overdue receiver."""
    overdue = with_latest(AssignmentReceiver.objects.filter(assignment=OuterRef("pk"))).filter(
        receiver_overdue_q(today)
    )
    return Q(Exists(overdue))


def is_receiver_overdue(receiver: AssignmentReceiver, today: date | None = None) -> bool:
    """The same rule for one receiver whose ``latest_status`` is known (``with_latest``)."""
    today = today or timezone.localdate()
    assignment = receiver.assignment
    return (
        assignment.deadline is not None
        and assignment.deadline < today
        and not assignment.is_closed
        and (getattr(receiver, "latest_status", None) or "") not in FINISHED
    )


def status_label(status: str | None) -> str:
    if not status:
        return _("Ej rapporterat")
    return str(AssignmentStatus(status).label)


def status_icon(status: str | None) -> str:
    return ICONS.get(status, "–") if status else "–"


def reports_at(receiver_ids, occasion: FollowUpOccasion) -> dict[int, AssignmentReport]:
    """{receiver id: its report at the occasion}, in one query."""
    rows = AssignmentReport.objects.filter(receiver_id__in=receiver_ids, occasion=occasion)
    return {r.receiver_id: r for r in rows.select_related("reported_by")}


def receivers_at(occasion: FollowUpOccasion, units=None) -> QuerySet:
    """The receivers who follow up at the occasion: assignments decided by its year's end, not
    closed before the year began. ``units`` (ids) narrows to those units."""
    receivers = AssignmentReceiver.objects.filter(
        Q(assignment__decided_on__isnull=True) | Q(assignment__decided_on__year__lte=occasion.year),
        Q(assignment__closed_on__isnull=True) | Q(assignment__closed_on__year__gte=occasion.year),
    )
    if units is not None:
        receivers = receivers.filter(unit_id__in=units)
    return with_latest(receivers).select_related("assignment__issuer", "unit")


# --- writing --------------------------------------------------------------------------------


def _stale(current) -> StaleVersion:
    return StaleVersion(
        _(
            "Någon annan har sparat under tiden. Nedan visas det som sparades senast; din ändring "
            "har inte sparats."
        ),
        current=current,
    )


def check_report(*, status: str, comment: str) -> None:
    """The status rules of one report; raises ValidationError naming the field."""
    if status not in AssignmentStatus.values:
        raise ValidationError({"status": _("Välj en status.")})
    if status in NEEDS_COMMENT and not comment.strip():
        raise ValidationError(
            {
                "comment": _("Status ”%(status)s” behöver en kommentar som säger varför.")
                % {"status": AssignmentStatus(status).label}
            }
        )


def _ensure_open(receiver: AssignmentReceiver, occasion: FollowUpOccasion) -> None:
    if occasion_locked_for(occasion, receiver.unit):
        raise PeriodLocked(
            _("%(occasion)s är låst eftersom rapporten är fastställd. Inget har sparats.")
            % {"occasion": occasion}
        )
    if Assignment.objects.filter(pk=receiver.assignment_id, closed_on__isnull=False).exists():
        raise ValidationError(_("Uppdraget är avslutat och tar inte emot fler rapporter."))


def report_save(
    *,
    receiver: AssignmentReceiver,
    occasion: FollowUpOccasion,
    user,
    status: str,
    comment: str,
    version: int,
) -> AssignmentReport:
    """Save the receiver's status at the occasion. ``version``: the one the user read, 0 for a new
    report. Raises ``PeriodLocked``, ``StaleVersion`` or ``ValidationError``; access is the
    caller's to check (``access.can_report_assignment``)."""
    comment = (comment or "").strip()
    check_report(status=status, comment=comment)
    _ensure_open(receiver, occasion)
    fields = {"status": status, "comment": comment, "reported_by": user}
    current = AssignmentReport.objects.filter(receiver=receiver, occasion=occasion)
    with transaction.atomic():
        _ensure_open(receiver, occasion)
        if not version:
            if current.exists():
                raise _stale(current.first())
            report = AssignmentReport(receiver=receiver, occasion=occasion, version=1, **fields)
            report._history_user = user
            try:
                with transaction.atomic():
                    report.save()
            except IntegrityError:
                raise _stale(current.first()) from None
            return report
        if not current.filter(version=version).update(version=version + 1):
            raise _stale(current.first())
        report = current.get()
        for name, value in fields.items():
            setattr(report, name, value)
        report._history_user = user
        report.save()
        return report


def check_close(data: dict) -> None:
    """Closing needs a closing decision (body and date) or a comment saying why."""
    has_decision = bool((data.get("close_decided_by") or "").strip()) and bool(
        data.get("close_decided_on")
    )
    if not has_decision and not (data.get("close_comment") or "").strip():
        raise ValidationError(
            {
                "close_comment": _(
                    "Ett uppdrag avslutas med ett beslut (organ och datum) eller med en "
                    "kommentar som säger varför."
                )
            }
        )


CLOSE_FIELDS = (
    "close_decided_by",
    "close_decided_on",
    "close_paragraph",
    "close_diary_number",
    "close_comment",
)


def assignment_close(*, assignment: Assignment, user, data: dict, version: int) -> Assignment:
    """Close the assignment with a decision or a comment; ``version`` guards lost updates."""
    check_close(data)
    values = {
        name: data.get(name) or ("" if name != "close_decided_on" else None)
        for name in CLOSE_FIELDS
    }
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    values["closed_on"] = values["close_decided_on"] or timezone.localdate()
    return _update(assignment, user, values, version)


def assignment_reopen(*, assignment: Assignment, user, version: int) -> Assignment:
    values = {name: "" for name in CLOSE_FIELDS}
    values.update(close_decided_on=None, closed_on=None)
    return _update(assignment, user, values, version)


def _update(assignment: Assignment, user, values: dict, version: int) -> Assignment:
    with transaction.atomic():
        rows = Assignment.objects.filter(pk=assignment.pk, version=version)
        if not rows.update(version=version + 1):
            raise _stale(Assignment.objects.filter(pk=assignment.pk).first())
        fresh = Assignment.objects.get(pk=assignment.pk)
        for name, value in values.items():
            setattr(fresh, name, value)
        fresh._history_user = user
        fresh.save()
        return fresh


@transaction.atomic
def assignment_save(
    *, assignment: Assignment, user, receivers, goals=None, version: int
) -> Assignment:
    """Create (``assignment.pk`` None) or update an assignment with its receiving units.

    Receivers that already reported are kept even when left out: their follow-up is history."""
    receivers = list(receivers)
    if not receivers:
        raise ValidationError({"receivers": _("Välj minst en mottagare.")})
    if assignment.closed_on is None and any(getattr(assignment, f) for f in CLOSE_FIELDS):
        check_close({f: getattr(assignment, f) for f in CLOSE_FIELDS})
    if assignment.pk is None:
        assignment.version = 1
        assignment._history_user = user
        assignment.save()
    else:
        if not Assignment.objects.filter(pk=assignment.pk, version=version).update(
            version=version + 1
        ):
            raise _stale(Assignment.objects.filter(pk=assignment.pk).first())
        assignment.version = version + 1
        assignment._history_user = user
        assignment.save()
    wanted = {u.pk for u in receivers}
    existing = {r.unit_id: r for r in assignment.receivers.all()}
    for unit in receivers:
        if unit.pk not in existing:
            AssignmentReceiver.objects.create(assignment=assignment, unit=unit)
    for unit_id, receiver in existing.items():
        if unit_id not in wanted and not receiver.reports.exists():
            receiver.delete()
    if goals is not None:
        assignment.goals.set(goals)
    return assignment
