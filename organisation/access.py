"""Who may do what — the one place every view, form, API call, import and report asks.

Roles are held per unit and inherited down the tree. An administrator role is scoped like every
other role: held in a unit below the top it administers that subtree only (its roles, its drafts,
everything an editor and reporter may do there); only an administrator in a top unit (one without
a parent) — or a superuser — administers the whole municipality: people, follow-up occasions and
their city-wide locking, Kolada, operations, the audit
log and Django's admin. A subtree administrator locks (and reopens) an occasion for their own
subtree only. Anonymous visitors see adopted and archived scorecards only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from scorecards.models import Metric, Scorecard, ScorecardStatus

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


def is_root_admin(user) -> bool:
    """Administrator of the whole municipality: a superuser, or Administratör in a top unit."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_styrkort_root_admin", None)
    if cached is None:
        cached = ADMIN in _roles(user).values() and (
            RoleAssignment.objects.filter(
                user=user, role=Role.ADMIN, unit__parent__isnull=True
            ).exists()
        )
        user._styrkort_root_admin = cached
    return cached


# The old name, kept so code written before administration was scoped stays safe: it means the
# whole municipality. New code says which scope it asks about.
is_admin = is_root_admin


def can_administer(user, unit: OrgUnit) -> bool:
    """Whether the user administers ``unit`` (gives and removes its roles): an administrator of
    the unit itself, of a unit above it, or of the whole municipality."""
    return level(user, unit) >= ADMIN


def can_manage_people(user) -> bool:
    """/personer/: the whole municipality's people, their sign-in history and deactivation. A
    person's account spans every unit, so a subtree administrator neither lists nor deactivates
    people; they see who holds roles in their units on the units' role pages."""
    return is_root_admin(user)


def can_manage_occasions(user) -> bool:
    """Creating, locking and reopening follow-up occasions. An occasion is one for the whole
    municipality: locking it freezes every scorecard's values and assessments up to its month, so
    only an administrator of the whole municipality may."""
    return is_root_admin(user)


def can_manage_structure(user) -> bool:
    """Perspectives, goal programmes and the assessment scale: shared by every scorecard of the
    municipality, so only an administrator of the whole municipality changes them."""
    return is_root_admin(user)


def can_lock_for_unit(user, unit: OrgUnit) -> bool:
    """Locking and reopening an occasion for ``unit`` and the units below it: its administrator,
    whether of the subtree or of the whole municipality."""
    return can_administer(user, unit)


def lockable_units(user) -> list[OrgUnit]:
    """The units a subtree administrator locks occasions for: those they hold Administratör in.
    An administrator of the whole municipality locks city-wide instead, so gets none."""
    if not user.is_authenticated or is_root_admin(user):
        return []
    ids = [pk for pk, lvl in _roles(user).items() if lvl >= ADMIN]
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("name")) if ids else []


def has_any_role(user) -> bool:
    """Whether the user holds any role (or administers everything): they land on "Att göra"
    after signing in; people without a role keep the municipality's scorecard as landing."""
    return user.is_authenticated and (user.is_superuser or bool(_roles(user)))


def can_send_reminders(user) -> bool:
    """Reminding the people late for a follow-up occasion: the occasion is the whole
    municipality's, like its locking, so its administrators remind."""
    return is_root_admin(user)


def reportable_scorecards_q(user, prefix: str = "") -> Q | None:
    """A filter for the scorecards whose values and assessments are the user's to enter: those
    of the units where they hold Rapportör or above, and below; None when there are none. Feeds
    "Att göra". An administrator's role in a top unit does not count: administrators of the whole
    municipality follow the occasions' progress, not every unit's tasks."""
    if not user.is_authenticated:
        return None
    units = [pk for pk, lvl in _roles(user).items() if lvl >= REPORT]
    if units and is_root_admin(user):
        top = set(
            OrgUnit.objects.filter(pk__in=units, parent__isnull=True).values_list("pk", flat=True)
        )
        units = [pk for pk in units if not (pk in top and _roles(user)[pk] >= ADMIN)]
    if not units:
        return None
    below: set[int] = set()
    for unit_id in units:
        below.update(
            OrgUnit.objects.descendants(unit_id, include_self=True).values_list("pk", flat=True)
        )
    return Q(**{f"{prefix}unit_id__in": below})


def can_operate(user) -> bool:
    """Operations, the Kolada sync and its conflicts, the audit log, Django's admin: city-wide."""
    return is_root_admin(user)


def administered_unit(user, code: str) -> OrgUnit:
    """The unit with ``code`` for a page that administers it: 404 if missing, 403 if not the
    user's to administer (units are public, so 403 reveals nothing)."""
    unit = get_object_or_404(OrgUnit, code=code)
    require(can_administer(user, unit))
    return unit


def may_remove_role(user, assignment: RoleAssignment) -> bool:
    """Whether ``user`` may remove ``assignment`` (the last-administrator guard included): an
    administrator of its unit may, except their own role when it is the municipality's last
    administrator of the whole — nobody could give it back."""
    if not can_administer(user, assignment.unit):
        return False
    return not (assignment.user_id == user.pk and is_last_root_admin_role(assignment))


def is_last_root_admin_role(assignment: RoleAssignment) -> bool:
    """Whether removing ``assignment`` would leave the municipality without an active
    administrator of the whole (superusers aside, who may remove their own role anyway)."""
    if assignment.role != Role.ADMIN or assignment.unit.parent_id is not None:
        return False
    if assignment.user.is_superuser:
        return False
    others = RoleAssignment.objects.filter(
        role=Role.ADMIN, unit__parent__isnull=True, user__is_active=True
    ).exclude(pk=assignment.pk)
    return not others.exists()


def level(user, unit: OrgUnit) -> int:
    """The user's effective level in ``unit``: the highest role held there or in any ancestor."""
    if not user.is_authenticated:
        return 0
    if is_root_admin(user):
        return ADMIN
    roles = _roles(user)
    if not roles:
        return 0
    path = OrgUnit.objects.path_ids(unit)  # one short query, none when the unit knows its path
    return max((roles.get(pk, 0) for pk in path), default=0)


def can_edit(user, unit: OrgUnit) -> bool:
    return level(user, unit) >= EDIT


def can_define_indicators(user) -> bool:
    """Indicators are shared by all scorecards: editors anywhere and administrators define them."""
    return user.is_authenticated and (
        is_root_admin(user) or max(_roles(user).values(), default=0) >= EDIT
    )


def can_report(user, unit: OrgUnit) -> bool:
    return level(user, unit) >= REPORT


# Spreadsheet imports (reports.models.ImportKind's values): values need a reporter of the
# scorecard's unit, targets an editor — the same as entering them by hand.
IMPORT_NEEDS = {"values": REPORT, "targets": EDIT}


def may_import(user, card: Scorecard, kind: str) -> bool:
    need = IMPORT_NEEDS.get(kind)
    return need is not None and level(user, card.unit) >= need


def may_read_history(user, unit: OrgUnit) -> bool:
    """The change history of an object of ``unit`` (who changed what): a role there or above,
    drafts or not — names and comments of colleagues are not for the public."""
    return level(user, unit) >= READ


def visible_unit_ids(user) -> set[int] | None:
    """Units whose drafts the user may read (their role units and everything below); None = all.

    A subtree administrator reads the drafts of their subtree only, like any other role."""
    if is_root_admin(user):
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


def visible_values_q(user, prefix: str = "") -> Q:
    """A filter for measurements the user may read: values of the user's own units (and below),
    and values a scorecard the user may see shows (its unit's values of its metrics' indicators).
    A value of a unit without a visible scorecard following it up is nobody else's business."""
    units = visible_unit_ids(user)
    if units is None:
        return Q()
    on_scorecard = Metric.objects.filter(
        visible_scorecards_q(user, "goal__scorecard__"),
        goal__scorecard__unit_id=OuterRef(f"{prefix}unit_id"),
        indicator_id=OuterRef(f"{prefix}indicator_id"),
    )
    return Q(Exists(on_scorecard)) | Q(**{f"{prefix}unit_id__in": units})


def scorecard_for(user, pk, need: int = READ, related=("unit", "programme")) -> Scorecard:
    """The scorecard ``pk`` for a request that needs level ``need`` in its unit.

    Missing or hidden: 404 (ids reveal nothing). Visible but the user's role is too low: 403."""
    card = get_object_or_404(Scorecard.objects.select_related(*related), pk=pk)
    require_visible(can_view_scorecard(user, card))
    if need > READ:
        require(level(user, card.unit) >= need)
    return card


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


# The year's reports (yearreports): a report belongs to its unit. Writers are the unit's
# reporters and editors, the approver is its owner (Ägare/redaktör), completing is for the owner
# or an administrator. A completed report is public (its frozen document); drafts are read by
# those with a role in the unit or above. Imported lazily: yearreports sits above this module.


def can_manage_report_templates(user) -> bool:
    """Report templates and sending them out are shared by the whole municipality."""
    return is_root_admin(user)


def can_read_report(user, report) -> bool:
    return report.is_completed or level(user, report.unit) >= READ


def can_write_report(user, report) -> bool:
    return level(user, report.unit) >= REPORT


def can_approve_report(user, report) -> bool:
    return level(user, report.unit) >= EDIT


def can_complete_report(user, report) -> bool:
    return level(user, report.unit) >= EDIT


def report_for(user, pk, need: int = READ):
    """The report ``pk`` for a request that needs level ``need`` in its unit: 404 when missing or
    hidden, 403 when visible but the role is too low."""
    from yearreports.models import Report

    report = get_object_or_404(Report.objects.select_related("unit", "occasion", "template"), pk=pk)
    require_visible(can_read_report(user, report))
    if need > READ:
        require(level(user, report.unit) >= need)
    return report


def visible_reports_q(user, prefix: str = "") -> Q:
    """A filter for reports the user may read: completed ones, and those of their units."""
    units = visible_unit_ids(user)
    if units is None:
        return Q()
    return Q(**{f"{prefix}state": "completed"}) | Q(**{f"{prefix}unit_id__in": units})


# --- assignments (uppdrag) ---------------------------------------------------------------------
# An assignment is public once its decision has a date; before that the roles of its issuing unit
# and of its receiving units (and the units above them) read it. The issuer's editors register,
# change and close it; a receiving unit's reporters report its status there.


def visible_assignments_q(user, prefix: str = "") -> Q:
    """A filter for assignments (or objects reached through ``prefix``) the user may read."""
    from assignments.models import AssignmentReceiver

    units = visible_unit_ids(user)
    if units is None:
        return Q()
    received = AssignmentReceiver.objects.filter(
        assignment_id=OuterRef(f"{prefix}pk" if prefix else "pk"), unit_id__in=units
    )
    return (
        Q(**{f"{prefix}decided_on__isnull": False})
        | Q(**{f"{prefix}issuer_id__in": units})
        | Q(Exists(received))
    )


def can_view_assignment(user, assignment) -> bool:
    if assignment.is_public or level(user, assignment.issuer) >= READ:
        return True
    return any(level(user, r.unit) >= READ for r in assignment.receivers.select_related("unit"))


def can_manage_assignments(user, issuer: OrgUnit) -> bool:
    """Registering, changing and closing the assignments a unit's body issues: its editors."""
    return can_edit(user, issuer)


def can_report_assignment(user, receiver) -> bool:
    """Reporting a receiving unit's status: reporters of that unit (or above it)."""
    return can_report(user, receiver.unit)


def assignment_for(user, pk, need: int = READ):
    """The assignment ``pk`` for a request that needs level ``need`` in its issuing unit.

    Missing or hidden: 404. Visible but the user may not change it: 403."""
    from assignments.models import Assignment

    assignment = get_object_or_404(Assignment.objects.select_related("issuer"), pk=pk)
    require_visible(can_view_assignment(user, assignment))
    if need > READ:
        require(level(user, assignment.issuer) >= need)
    return assignment


def assignment_receiver_for(user, pk):
    """A receiving unit of an assignment, for a reporter of that unit (404 hidden, 403 refused)."""
    from assignments.models import AssignmentReceiver

    receiver = get_object_or_404(
        AssignmentReceiver.objects.select_related("assignment__issuer", "unit"), pk=pk
    )
    require_visible(can_view_assignment(user, receiver.assignment))
    require(can_report_assignment(user, receiver))
    return receiver


def editable_unit_ids(user) -> set[int] | None:
    """Units the user edits (their editor and administrator units and everything below);
    None = all."""
    if is_root_admin(user):
        return None
    if not user.is_authenticated:
        return set()
    found: set[int] = set()
    for unit_id, lvl in _roles(user).items():
        if lvl >= EDIT:
            found.update(
                OrgUnit.objects.descendants(unit_id, include_self=True).values_list("pk", flat=True)
            )
    return found


# --- internal control (internkontroll) -------------------------------------------------------
# A plan is not public unless its ``is_public`` says so: the roles of its unit (and above) read
# it. Editors manage risks, controls and the plan; administrators of the unit adopt it; reporters
# report the controls' results.


def visible_plans_q(user, prefix: str = "") -> Q:
    units = visible_unit_ids(user)
    if units is None:
        return Q()
    return Q(**{f"{prefix}is_public": True}) | Q(**{f"{prefix}unit_id__in": units})


def can_view_plan(user, plan) -> bool:
    return plan.is_public or level(user, plan.unit) >= READ


def can_adopt_plan(user, plan) -> bool:
    return can_administer(user, plan.unit)


def control_plan_for(user, pk, need: int = READ):
    """The control plan ``pk`` for a request that needs level ``need`` in its unit (404 hidden,
    403 refused)."""
    from internalcontrol.models import ControlPlan

    plan = get_object_or_404(ControlPlan.objects.select_related("unit"), pk=pk)
    require_visible(can_view_plan(user, plan))
    if need > READ:
        require(level(user, plan.unit) >= need)
    return plan


# --- Economy (issue 22) --------------------------------------------------------------------
# An economy import and the mappings change every unit's figures, so they are for administrators
# of the whole municipality and economy editors: people given the permission
# "economy.import_economy" (Django's admin, directly or through a group such as "Ekonomi").
# A unit's economy is read by those with a role there or above; its forecast is entered by its
# editors. Economy is never public.


def may_import_economy(user) -> bool:
    return user.is_authenticated and (
        is_root_admin(user) or user.has_perm("economy.import_economy")
    )


def can_read_economy(user, unit: OrgUnit) -> bool:
    return may_import_economy(user) or level(user, unit) >= READ


def can_enter_forecast(user, unit: OrgUnit) -> bool:
    return may_import_economy(user) or level(user, unit) >= EDIT


def economy_unit_ids(user) -> set[int] | None:
    """Units whose economy the user reads (their role units and below); None = all."""
    if may_import_economy(user):
        return None
    return visible_unit_ids(user)


def economy_unit_for(user, code: str, need: int = READ) -> OrgUnit:
    """The unit ``code`` for an economy page: 404 if missing, 403 if its economy is not the
    user's to read (``need=READ``) or to forecast (``need=EDIT``); units are public, so 403
    reveals nothing."""
    unit = get_object_or_404(OrgUnit, code=code)
    require(can_read_economy(user, unit))
    if need >= EDIT:
        require(can_enter_forecast(user, unit))
    return unit
