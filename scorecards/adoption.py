"""Adopted stays adopted: the version a decision adopted, and changes made after it.

Adopting a scorecard freezes what was decided into an ``AdoptedVersion`` (goals, strategies,
metrics, targets, the unit's and indicators' names as they were), so later edits or renames never
rewrite it. An adopted scorecard stays editable — cities revise during the year — but each change
needs a reason and is recorded as a ``ChangeAfterAdoption`` ("ändrat efter beslut": who, when,
why), shown next to the changed goal and in its history. A new decision (adopting again) makes a
new version, and the marks start over.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _

from .models import (
    AdoptedVersion,
    ChangeAfterAdoption,
    Goal,
    Metric,
    Scorecard,
    ScorecardStatus,
    Target,
)

REASON_MAX = 1000
# simple_history keeps a change reason of at most 100 characters on each history row.
HISTORY_REASON_MAX = 100


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _target(target: Target) -> dict:
    return {
        "year": target.year,
        "label": target.label,
        "comparator": target.comparator,
        "value": _number(target.value),
        "value_high": _number(target.value_high),
        "tolerance": _number(target.tolerance),
        "decision": target.decision_text,
    }


def _metric(metric: Metric) -> dict:
    indicator = metric.indicator
    return {
        "id": metric.pk,
        "indicator_id": indicator.pk,
        "indicator": indicator.name,
        "code": indicator.code,
        "unit": indicator.unit,
        "weight": _number(metric.weight),
        "targets": [_target(t) for t in metric.targets.all()],
    }


def _goal(goal: Goal) -> dict:
    return {
        "id": goal.pk,
        "title": goal.title,
        "description": goal.description,
        "prioritised": goal.prioritised,
        "strategies": [s.text for s in goal.strategies.all()],
        "metrics": [_metric(m) for m in goal.metrics.all()],
        "contributes_to": [
            {"id": up.pk, "title": up.title, "unit": up.scorecard.unit.name}
            for up in goal.contributes_to.all()
        ],
    }


def _present(queryset, *related: tuple[str, type], migrating: bool = False):
    """``queryset`` without the fields whose columns the database lacks yet: a data migration
    (0007) reads with today's models while later migrations' columns are still to come."""
    from django.db import connection

    if not migrating:
        return queryset
    absent = []
    for prefix, model in ((None, queryset.model), *related):
        with connection.cursor() as cursor:
            table = connection.introspection.get_table_description(cursor, model._meta.db_table)
        columns = {column.name for column in table}
        absent += [
            f"{prefix}__{field.name}" if prefix else field.name
            for field in model._meta.concrete_fields
            if field.column not in columns
        ]
    return queryset.defer(*absent) if absent else queryset


def snapshot(card: Scorecard, *, migrating: bool = False) -> dict:
    """Everything the scorecard's page shows of what was decided, as plain JSON."""
    from .models import Indicator, Strategy, Target

    m = migrating
    metrics = _present(
        Metric.objects.select_related("indicator"), ("indicator", Indicator), migrating=m
    ).prefetch_related(Prefetch("targets", queryset=_present(Target.objects.all(), migrating=m)))
    goals = list(
        _present(card.goals.select_related("perspective"), migrating=m)
        .prefetch_related(
            Prefetch("strategies", queryset=_present(Strategy.objects.all(), migrating=m)),
            Prefetch("metrics", queryset=metrics),
            Prefetch("contributes_to", queryset=Goal.objects.select_related("scorecard__unit")),
        )
        .order_by("perspective__order", "order", "pk")
    )
    perspectives = list(card.perspectives.order_by("order", "name"))
    for goal in goals:  # a goal in a perspective the card no longer lists still counts
        if goal.perspective not in perspectives:
            perspectives.append(goal.perspective)
    return {
        "unit": {"id": card.unit_id, "code": card.unit.code, "name": card.unit.name},
        "year": card.year,
        "programme": str(card.programme),
        "introduction": card.introduction,
        "decision": card.decision_text,
        "perspectives": [
            {
                "id": p.pk,
                "name": p.name,
                "colour": p.colour,
                "goals": [_goal(g) for g in goals if g.perspective_id == p.pk],
            }
            for p in perspectives
        ],
    }


def _person(user):
    """The user to record, or None for a system write (the demo, an import without a person)."""
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def record_adoption(card: Scorecard, user) -> AdoptedVersion:
    """A new version of ``card`` as adopted now (called after the decision is saved)."""
    Scorecard.objects.select_for_update().filter(pk=card.pk).first()  # numbers stay unique
    last = card.adopted_versions.aggregate(n=Max("number"))["n"] or 0
    return AdoptedVersion.objects.create(
        scorecard=card,
        number=last + 1,
        adopted_by=_person(user),
        decision=card.decision_text[:400],
        snapshot=snapshot(card),
    )


def snapshot_of(pk: int) -> dict:
    """``snapshot`` of the scorecard ``pk``, read with the current models.

    For the data migration 0006 that gives scorecards adopted before versions existed their
    first version: the labels, numbers and names a version holds come from model code (target
    labels, the indicator's number format, the programme's name) that historical models lack,
    and a copy of it would make those versions differ from the ones adopting records."""
    card = _present(Scorecard.objects.select_related("unit", "programme"), migrating=True)
    return snapshot(card.get(pk=pk), migrating=True)


def latest_version(card: Scorecard) -> AdoptedVersion | None:
    return card.adopted_versions.order_by("-number").first()


def needs_reason(card: Scorecard) -> bool:
    """Changes to an adopted scorecard are changes to a decision: they need a reason."""
    return card.status == ScorecardStatus.ADOPTED


def record_change(card: Scorecard, user, reason: str, *, kind: str, obj=None, goal=None,
                  what: str) -> ChangeAfterAdoption | None:  # fmt: skip
    """Marks a change to an adopted scorecard; nothing for a draft or an archived one.

    Call it in the transaction of the change; ``obj`` may be gone (a deletion)."""
    if not needs_reason(card):
        return None
    return ChangeAfterAdoption.objects.create(
        scorecard=card,
        version=latest_version(card),
        goal=goal,
        kind=kind,
        object_id=getattr(obj, "pk", None),
        what=what[:400],
        reason=reason.strip(),
        by=_person(user),
    )


def with_history_reason(instance, reason: str):
    """``instance`` with the reason its next history row carries (simple_history)."""
    reason = reason.strip()
    if reason:
        cut = HISTORY_REASON_MAX - 1
        instance._change_reason = (
            reason if len(reason) <= HISTORY_REASON_MAX else reason[:cut] + "…"
        )
    return instance


def current_marks(card: Scorecard, version: AdoptedVersion | None) -> list[ChangeAfterAdoption]:
    """Changes since the scorecard's latest decision (``version``), newest first."""
    marks = card.changes_after_adoption.select_related("by")
    if version is not None:
        marks = marks.filter(at__gte=version.adopted_at)
    return list(marks)


def page_context(card: Scorecard, goals: list[Goal]) -> dict:
    """What the scorecard page shows of its adoption: each goal's marks (``goal.marks``), the
    marks of the scorecard itself and the latest adopted version. Two queries; none for a draft."""
    version = latest_version(card) if card.is_public else None
    marks = current_marks(card, version) if card.is_public else []
    by_goal: dict[int, list[ChangeAfterAdoption]] = {}
    for mark in marks:
        if mark.goal_id:
            by_goal.setdefault(mark.goal_id, []).append(mark)
    for goal in goals:
        goal.marks = by_goal.get(goal.pk, [])
    return {"card_marks": [m for m in marks if m.goal_id is None], "adopted_version": version}


def describe(kind: str, obj) -> str:
    """What changed, in words, for the mark."""
    labels = {
        "goal": _("Mål: %(name)s"),
        "strategy": _("Strategi: %(name)s"),
        "metric": _("Mätetal: %(name)s"),
        "target": _("Målvärde: %(name)s"),
        "links": _("Målkedjan: %(name)s"),
        "scorecard": _("Styrkortet: %(name)s"),
    }
    return labels[kind] % {"name": str(obj)[:300]}
