"""Locked follow-up occasions: once a report is adopted its data changes only after a logged reopening.

An occasion covers January up to its ``end_month``; locking it locks every value of that year up to
that month and every assessment made at that occasion.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from audit.models import Event
from organisation import access

from .models import FollowUpOccasion, OccasionLog


class PeriodLocked(ValidationError):
    pass


def locked_months(year: int) -> int:
    """Months 1..N of ``year`` are locked; 0 when nothing is."""
    ends = FollowUpOccasion.objects.filter(year=year, locked_at__isnull=False).values_list(
        "end_month", flat=True
    )
    return max(ends, default=0)


def is_locked(year: int, month: int, *, cache: dict[int, int] | None = None) -> bool:
    if cache is not None:
        if year not in cache:
            cache[year] = locked_months(year)
        return month <= cache[year]
    return month <= locked_months(year)


def locks_unchanged(cache: dict[int, int]) -> bool:
    """Whether the locks a writer read into ``cache`` (see ``is_locked``) still hold: a writer that
    shares one cache over many saves checks this last, so a period locked meanwhile fails it."""
    return all(locked_months(year) == months for year, months in cache.items())


def ensure_open(year: int, month: int, *, cache: dict[int, int] | None = None) -> None:
    if is_locked(year, month, cache=cache):
        raise PeriodLocked(
            _("Perioden %(year)s-%(month)02d är låst eftersom rapporten är fastställd.")
            % {"year": year, "month": month}
        )


@transaction.atomic
def occasion_lock(*, occasion: FollowUpOccasion, user) -> None:
    if not access.can_manage_occasions(user):
        raise PermissionDenied
    if occasion.is_locked:
        return
    occasion.locked_at = timezone.now()
    occasion.locked_by = user
    occasion.save(update_fields=["locked_at", "locked_by"])
    OccasionLog.objects.create(occasion=occasion, action=OccasionLog.Action.LOCK, by=user)
    audit.record(Event.PERIOD_LOCKED, user, occasion=str(occasion), occasion_id=occasion.pk)


@transaction.atomic
def occasion_reopen(*, occasion: FollowUpOccasion, user, reason: str) -> None:
    if not access.can_manage_occasions(user):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till att tillfället öppnas igen.")})
    occasion.locked_at = None
    occasion.locked_by = None
    occasion.save(update_fields=["locked_at", "locked_by"])
    OccasionLog.objects.create(
        occasion=occasion, action=OccasionLog.Action.REOPEN, by=user, reason=reason.strip()
    )
    audit.record(
        Event.PERIOD_REOPENED,
        user,
        occasion=str(occasion),
        occasion_id=occasion.pk,
        reason=reason.strip(),
    )
