"""Who may do what — the one place every view, form, API call, import and report asks.

Roles are held per unit and inherited down the tree. An administrator role (anywhere) covers the
whole city. Anonymous visitors see adopted and archived scorecards only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from scorecards.models import ScorecardStatus

from .models import OrgUnit, Role, RoleAssignment

READ, REPORT, EDIT, ADMIN = 1, 2, 3, 4
LEVEL = {Role.READER: READ, Role.REPORTER: REPORT, Role.EDITOR: EDIT, Role.ADMIN: ADMIN}


def _roles(user) -> dict[int, int]:
    """{unit id: highest level} for the user, loaded once per request (cached on the user)."""
    cached = getattr(user, "_styrkort_roles", None)
    if cached is None:
        cached = {}
        for unit_id, role in RoleAssignment.objects.filter(user=user).values_list("unit", "role"):
            cached[unit_id] = max(cached.get(unit_id, 0), LEVEL[role])
        user._styrkort_roles = cached
    return cached


def is_admin(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or ADMIN in _roles(user).values()


def level(user, unit: OrgUnit) -> int:
    """The user's effective level in ``unit``: the highest role held there or in any ancestor."""
    if not user.is_authenticated:
        return 0
    if is_admin(user):
        return ADMIN
    roles = _roles(user)
    if not roles:
        return 0
    path = getattr(unit, "tree_path", None)
    if path is None:
        path = list(OrgUnit.objects.ancestors(unit, include_self=True).values_list("pk", flat=True))
    return max((roles.get(pk, 0) for pk in path), default=0)


def can_edit(user, unit: OrgUnit) -> bool:
    return level(user, unit) >= EDIT


def can_define_indicators(user) -> bool:
    """Indicators are shared by all scorecards: editors anywhere and administrators define them."""
    return user.is_authenticated and (
        is_admin(user) or max(_roles(user).values(), default=0) >= EDIT
    )


def can_report(user, unit: OrgUnit) -> bool:
    return level(user, unit) >= REPORT


def visible_unit_ids(user) -> set[int] | None:
    """Units whose drafts the user may read (their role units and everything below); None = all."""
    if is_admin(user):
        return None
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_styrkort_visible_units", None)
    if cached is None:
        cached = set()
        for unit_id in _roles(user):
            cached.update(
                OrgUnit.objects.descendants(unit_id, include_self=True).values_list("pk", flat=True)
            )
        user._styrkort_visible_units = cached
    return cached


def visible_scorecards_q(user, prefix: str = "") -> Q:
    """A filter for scorecards (or objects reached through ``prefix``) the user may read."""
    public = Q(**{f"{prefix}status__in": [ScorecardStatus.ADOPTED, ScorecardStatus.ARCHIVED]})
    units = visible_unit_ids(user)
    if units is None:
        return Q()
    return public | Q(**{f"{prefix}unit_id__in": units})


def can_view_scorecard(user, scorecard) -> bool:
    return scorecard.is_public or level(user, scorecard.unit) >= READ


def require_visible(allowed: bool) -> None:
    """Hidden objects answer 404, exactly like missing ones, so ids reveal nothing."""
    if not allowed:
        raise Http404


def require(allowed: bool) -> None:
    """A visible object the user may not change answers 403."""
    if not allowed:
        raise PermissionDenied


def can_set_up(user) -> bool:
    """The first-run setup (/kom-igang/) shapes the whole municipality: its name, organisation,
    perspectives, goal programme and calendar. Administrators of the whole municipality only."""
    return is_admin(user)
