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
from organisation.models import OrgUnit

from . import locked_names
from .models import FollowUpOccasion, OccasionLog, OccasionUnitLock


class PeriodLocked(ValidationError):
    pass


# A lock cache is a plain dict a writer shares over many saves (see ``is_locked``). It holds
# ``(year, unit id) -> locked months`` as answered, ``("year", year) -> (city-wide months,
# {unit id: months locked for that unit's subtree})`` read once per year, and ``PARENTS`` -> the
# tree as {unit id: parent id}, read once and only when some unit of the year is locked.
PARENTS = "parents"


def _year_locks(year: int) -> tuple[int, dict[int, int]]:
    """The year's city-wide locked months and its per-unit locks, in two queries."""
    city = FollowUpOccasion.objects.filter(year=year, locked_at__isnull=False).values_list(
        "end_month", flat=True
    )
    units: dict[int, int] = {}
    for unit_id, end in OccasionUnitLock.objects.filter(occasion__year=year).values_list(
        "unit_id", "occasion__end_month"
    ):
        units[unit_id] = max(units.get(unit_id, 0), end)
    return max(city, default=0), units


def _chain(unit, cache: dict) -> list[int]:
    """The unit's id and its ancestors' ids, from the tree read once into the cache."""
    path = getattr(unit, "tree_path", None)  # a unit read with tree fields knows it already
    if path is not None:
        return list(path)
    if PARENTS not in cache:
        cache[PARENTS] = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    parents, chain, pk = cache[PARENTS], [], unit.pk
    while pk is not None and pk not in chain:
        chain.append(pk)
        pk = parents.get(pk)
    return chain


def locked_months(year: int, unit, *, cache: dict | None = None) -> int:
    """Months 1..N of ``year`` are locked for ``unit``; 0 when nothing is. A city-wide lock locks
    every unit; a unit's lock locks it and every unit below it."""
    cache = {} if cache is None else cache
    key = (year, unit.pk)
    if key not in cache:
        if ("year", year) not in cache:
            cache[("year", year)] = _year_locks(year)
        city, units = cache[("year", year)]
        months = city
        if units:  # only then is the unit's place in the tree needed
            months = max([city] + [units.get(pk, 0) for pk in _chain(unit, cache)])
        cache[key] = months
    return cache[key]


def is_locked(year: int, month: int, unit, *, cache: dict | None = None) -> bool:
    """Whether ``unit``'s values for the month are locked. A writer saving many units and months
    passes one ``cache`` dict: each year's locks (and the tree) are read once, not once per call."""
    return month <= locked_months(year, unit, cache=cache)


def locks_unchanged(cache: dict) -> bool:
    """Whether the locks a writer read into ``cache`` (see ``is_locked``) still hold: a writer that
    shares one cache over many saves checks this last, so a period locked meanwhile fails it."""
    fresh: dict = {}
    units = {}
    for key in cache:
        if isinstance(key, tuple) and key[0] != "year":
            units.setdefault(key[1], OrgUnit(pk=key[1]))
    return all(
        locked_months(key[0], units[key[1]], cache=fresh) == months
        for key, months in cache.items()
        if isinstance(key, tuple) and key[0] != "year"
    )


def ensure_open(year: int, month: int, unit, *, cache: dict | None = None) -> None:
    if is_locked(year, month, unit, cache=cache):
        raise PeriodLocked(
            _("Perioden %(year)s-%(month)02d är låst eftersom rapporten är fastställd.")
            % {"year": year, "month": month}
        )


def occasion_locked_for(occasion: FollowUpOccasion, unit) -> bool:
    """Whether the occasion's assessments and analyses are locked for ``unit``: locked city-wide,
    or for the unit or a unit above it. Read from the database, so a lock made since the occasion
    was loaded counts."""
    if FollowUpOccasion.objects.filter(pk=occasion.pk, locked_at__isnull=False).exists():
        return True
    return OccasionUnitLock.objects.filter(occasion=occasion, unit_id__in=_chain(unit, {})).exists()


@transaction.atomic
def occasion_lock(*, occasion: FollowUpOccasion, user) -> None:
    if not access.can_manage_occasions(user):
        raise PermissionDenied
    if occasion.is_locked:
        return
    occasion.locked_at = timezone.now()
    occasion.locked_by = user
    occasion.save(update_fields=["locked_at", "locked_by"])
    locked_names.take(occasion)  # the reports keep today's names while locked
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
    locked_names.drop(occasion)
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


@transaction.atomic
def unit_lock(*, occasion: FollowUpOccasion, unit: OrgUnit, user) -> bool:
    """Lock the occasion for ``unit`` and every unit below it; False when already locked so."""
    if not access.can_lock_for_unit(user, unit):
        raise PermissionDenied
    if occasion.is_locked:
        return False
    _lock, created = OccasionUnitLock.objects.get_or_create(
        occasion=occasion, unit=unit, defaults={"locked_by": user}
    )
    if not created:
        return False
    OccasionLog.objects.create(
        occasion=occasion, unit_name=unit.name, action=OccasionLog.Action.LOCK, by=user
    )
    audit.record(
        Event.PERIOD_LOCKED, user, occasion=str(occasion), occasion_id=occasion.pk, unit=unit.code
    )
    return True


@transaction.atomic
def unit_reopen(*, occasion: FollowUpOccasion, unit: OrgUnit, user, reason: str) -> None:
    """Remove the unit's own lock (locks of units above or below it stay), saying why."""
    if not access.can_lock_for_unit(user, unit):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till att tillfället öppnas igen.")})
    OccasionUnitLock.objects.filter(occasion=occasion, unit=unit).delete()
    OccasionLog.objects.create(
        occasion=occasion,
        unit_name=unit.name,
        action=OccasionLog.Action.REOPEN,
        by=user,
        reason=reason.strip(),
    )
    audit.record(
        Event.PERIOD_REOPENED,
        user,
        occasion=str(occasion),
        occasion_id=occasion.pk,
        unit=unit.code,
        reason=reason.strip(),
    )
