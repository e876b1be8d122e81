"""A locked occasion's reports keep the names they had when it was locked.

Locking freezes the values and assessments (``followup.locking``), but a report also shows names
that live elsewhere: units, goals, perspectives, strategies and indicators. Renaming a unit after
the T1 report was adopted must not rewrite that report or its PDF. So locking stores those names
(``OccasionNames``) and the occasion's pages and reports put them back on the objects they show,
in memory only, while the occasion stays locked. Reopening drops them; locking again takes new.
"""

from collections.abc import Iterable

from organisation.models import OrgUnit
from scorecards.models import Goal, Indicator, Perspective, Strategy

from .models import FollowUpOccasion, OccasionNames


def _names(queryset, *fields) -> dict[str, object]:
    """{str(pk): value} (JSON keys are strings), or {str(pk): [values]} for several fields."""
    if len(fields) == 1:
        return {str(pk): value for pk, value in queryset.values_list("pk", *fields)}
    return {str(row[0]): list(row[1:]) for row in queryset.values_list("pk", *fields)}


def take(occasion: FollowUpOccasion) -> OccasionNames:
    """Stores the names every scorecard of the occasion's year shows now."""
    year = occasion.year
    goals = Goal.objects.filter(scorecard__year=year)
    names = {
        "units": _names(OrgUnit.objects.filter(scorecards__year=year).distinct(), "name"),
        "goals": _names(goals, "title"),
        "perspectives": _names(Perspective.objects.all(), "name"),
        "strategies": _names(Strategy.objects.filter(goal__in=goals), "text"),
        "indicators": _names(
            Indicator.objects.filter(metrics__goal__in=goals).distinct(), "name", "unit"
        ),
    }
    record, _created = OccasionNames.objects.update_or_create(
        occasion=occasion, defaults={"names": names}
    )
    return record


def drop(occasion: FollowUpOccasion) -> None:
    OccasionNames.objects.filter(occasion=occasion).delete()


def stored(occasion: FollowUpOccasion) -> dict | None:
    if not occasion.is_locked:
        return None
    return OccasionNames.objects.filter(occasion=occasion).values_list("names", flat=True).first()


def _put(objects: Iterable, names: dict, field: str) -> None:
    for obj in objects:
        value = names.get(str(obj.pk))
        if value is not None:
            setattr(obj, field, value)


def apply(
    occasion: FollowUpOccasion,
    *,
    units: Iterable[OrgUnit] = (),
    goals: Iterable[Goal] = (),
    perspectives: Iterable[Perspective] = (),
    indicators: Iterable[Indicator] = (),
) -> bool:
    """Puts the names at locking back on the given objects (and on each goal's perspective and
    prefetched strategies). Never saved: only what is shown changes. False when the occasion is
    open or was locked before names were stored; the objects then keep today's names."""
    names = stored(occasion)
    if names is None:
        return False
    goals = list(goals)
    _put(units, names["units"], "name")
    _put(goals, names["goals"], "title")
    _put(list(perspectives) + [g.perspective for g in goals], names["perspectives"], "name")
    for goal in goals:
        prefetched = getattr(goal, "_prefetched_objects_cache", {}).get("strategies")
        if prefetched is not None:
            _put(prefetched, names["strategies"], "text")
    for indicator in indicators:
        value = names["indicators"].get(str(indicator.pk))
        if value is not None:
            indicator.name, indicator.unit = value
    return True
