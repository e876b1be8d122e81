"""Giving and taking roles: the one way roles change, so every change reaches the audit log."""

from django.db import transaction

import audit
from audit.models import Event

from .models import OrgUnit, RoleAssignment


def _forget_cached_roles(user) -> None:
    for attr in ("_styrkort_roles", "_styrkort_visible_units", "_styrkort_root_admin"):
        if hasattr(user, attr):
            delattr(user, attr)


@transaction.atomic
def role_assign(
    *, user, unit: OrgUnit, role: str, by, source: str = RoleAssignment.Source.MANUAL, request=None
) -> RoleAssignment:
    """Give ``user`` ``role`` in ``unit`` (idempotent); ``by`` is None for SSO role mapping."""
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"source": source}
    )
    if created:
        audit.record(
            Event.ROLE_ADDED,
            by,
            request=request,
            person=user.get_username(),
            role=role,
            unit=unit.code,
            source=source,
        )
        _forget_cached_roles(user)
    return assignment


@transaction.atomic
def role_remove(*, assignment: RoleAssignment, by, request=None, reason: str = "") -> None:
    details = {
        "person": assignment.user.get_username(),
        "role": assignment.role,
        "unit": assignment.unit.code,
        "source": assignment.source,
    }
    if reason:
        details["reason"] = reason
    assignment.delete()
    audit.record(Event.ROLE_REMOVED, by, request=request, **details)
    _forget_cached_roles(assignment.user)
