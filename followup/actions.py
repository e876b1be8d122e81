"""Improvement actions (aktiviteter/åtgärder): the one rule for when an action is overdue.

An action is overdue when its due date has passed (strictly before today) and it is still open,
that is planned or ongoing; done and cancelled actions are never overdue, nor are actions
without a due date. ``overdue_q`` is the rule; the helpers below only apply it.
"""

from datetime import date

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Action, ActionState

OPEN_STATES = (ActionState.PLANNED, ActionState.ONGOING)


def overdue_q(today: date | None = None, prefix: str = "") -> Q:
    """A filter for overdue actions (or actions reached through ``prefix``, e.g. "actions__")."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}due_date__lt": today, f"{prefix}state__in": OPEN_STATES})


def overdue(actions: QuerySet[Action] | None = None, *, today: date | None = None):
    """Only the overdue actions of ``actions`` (all actions by default)."""
    actions = Action.objects.all() if actions is None else actions
    return actions.filter(overdue_q(today))


def with_overdue(actions: QuerySet[Action], *, today: date | None = None):
    """``actions`` with a boolean ``is_overdue`` computed by the database from the same rule."""
    flag = Case(
        When(overdue_q(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return actions.annotate(is_overdue=flag)
