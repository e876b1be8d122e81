"""Every URL × every persona: who may see and who may change what.

The test walks the whole URL resolver. Each named pattern needs an entry in ``TABLE`` saying how
to fill its path parameters from the scene below and what each persona gets:

* ``get``  – the expected answer to a GET, per persona;
* ``post`` – for write views, the expected answer to a POST of a *valid* payload. A persona that
  is refused must leave the database exactly as it was; a persona that is allowed must change it
  (which proves the payload would have worked for the refused ones too).

Personas (core/testing.py): ``admin`` (whole city), ``editor`` and ``reporter`` of unit A, ``reader``
of unit B, ``anon`` (a citizen), ``subadmin`` (administrator of unit A, a unit below the city: of
A's subtree only). The scene's objects sit in a *draft* scorecard of unit A unless a case says
otherwise, so the reader of B and the citizen must not learn that they exist: 404, the same as for
an id that does not exist. ``test_other_units_objects_are_refused`` repeats every case with unit
B's objects for unit A's editor, reporter and administrator.

The subtree administrator's answer is written out where it differs from unit A's editor's (roles
of A: allowed; roles elsewhere and everything city-wide — people, occasions, Kolada sync,
operations, audit log: 403). Everywhere else it is the editor's answer, on purpose: inside A an
administrator may do at least what an editor may, and outside A nothing more.

A new URL without an entry fails ``test_every_url_has_an_entry`` with the names that are missing.
Only Django's admin (``/admin/``, checked separately: staff only) and static files are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.models import ApiToken
from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_strategy,
    make_subtree_admin,
    make_target,
)
from followup.models import (
    Action,
    Assessment,
    FollowUpOccasion,
    Forecast,
    Measurement,
    OccasionUnitLock,
)
from kolada.models import KoladaKpi
from organisation.models import RoleAssignment
from scorecards.models import Frequency, GoalProgramme, Perspective, ScorecardStatus

PERSONAS = ("admin", "editor", "reporter", "reader", "anon", "subadmin")
LOGIN = "login"  # a redirect to the sign-in page
MOVED = "302"  # a redirect elsewhere (after a successful POST, or a page that sends you on)
SKIP = "skip"  # not requested (the allowed POST would call Kolada over the network)
# The REST API is walked too (what each persona sees in lists: api/tests/test_access.py).
EXCLUDED_PREFIXES = ("admin/", "^static/", "static/")
# Rows that never say anything about permissions and change on every request.
VOLATILE_MODELS = {"sessions.session", "audit.auditentry", "axes.accessattempt", "axes.accesslog"}
VOLATILE_MODELS |= {"axes.accessfailurelog"}


def expect(admin, editor, reporter, reader, anon, *, subadmin=None) -> dict[str, object]:
    """What each persona gets; the subtree administrator gets the editor's answer unless told."""
    subadmin = editor if subadmin is None else subadmin
    answers = (admin, editor, reporter, reader, anon, subadmin)
    return dict(zip(PERSONAS, answers, strict=True))


EVERYONE = expect(200, 200, 200, 200, 200, subadmin=200)
SIGNED_IN = expect(200, 200, 200, 200, LOGIN, subadmin=200)
# The whole municipality's administration: an administrator of a subtree is refused too.
ADMIN_ONLY = expect(200, 403, 403, 403, LOGIN, subadmin=403)
ADMIN_ONLY_POST = expect(MOVED, 403, 403, 403, LOGIN, subadmin=403)
# Administration of unit A (its roles): the city's administrator and A's own.
A_ADMIN = expect(200, 403, 403, 403, LOGIN, subadmin=200)
A_ADMIN_POST = expect(MOVED, 403, 403, 403, LOGIN, subadmin=MOVED)
# Objects of unit A's draft scorecard: readable by unit A's roles, invisible to others.
A_DRAFT_READ = expect(200, 200, 200, 404, 404)
A_DRAFT_EDIT = expect(200, 200, 403, 404, LOGIN)
A_DRAFT_EDIT_POST = expect(MOVED, MOVED, 403, 404, LOGIN)
A_DRAFT_REPORT = expect(200, 200, 200, 404, LOGIN)
A_DRAFT_REPORT_POST = expect(MOVED, MOVED, MOVED, 404, LOGIN)
# Unit A itself and its public (adopted) scorecard: visible to all, changed by A's editors.
A_PUBLIC_EDIT = expect(200, 200, 403, 403, LOGIN)
A_PUBLIC_EDIT_POST = expect(MOVED, MOVED, 403, 403, LOGIN)
POST_ONLY = expect(405, 405, 405, 405, 405)
NOT_CONFIGURED = expect(404, 404, 404, 404, 404)


@dataclass
class UnitObjects:
    """One unit's draft scorecard with one of everything inside it."""

    unit: object
    card: object
    goal: object
    strategy: object
    metric: object
    action: object
    measurement: object
    target: object
    assessment: object


@dataclass
class Scene:
    world: object
    chain: object
    a: UnitObjects
    b: UnitObjects
    occasion: object
    locked_occasion: object
    spare_indicator: object
    kpi: object
    reader_role: object
    reporter_role: object

    def pk_of(self, api_name: str, u: UnitObjects) -> int:
        """The id of a unit's object for an API endpoint name ("goal", "period", …)."""
        return {
            "unit": lambda: u.unit.pk,
            "programme": lambda: u.card.programme_id,
            "perspective": lambda: u.goal.perspective_id,
            "indicator": lambda: u.metric.indicator_id,
            "period": lambda: self.occasion.pk,
            "occasion": lambda: self.occasion.pk,
            "scorecard": lambda: u.card.pk,
            "goal": lambda: u.goal.pk,
            "strategy": lambda: u.strategy.pk,
            "metric": lambda: u.metric.pk,
            "target": lambda: u.target.pk,
            "value": lambda: u.measurement.pk,
            "forecast": lambda: _forecast(u).pk,
            "assessment": lambda: u.assessment.pk,
            "action": lambda: u.action.pk,
        }[api_name]()


def _forecast(u: UnitObjects):
    """The unit's forecast at the scene's tertial (made on first use)."""
    forecast, _created = Forecast.objects.get_or_create(
        indicator_id=u.metric.indicator_id, unit=u.unit, year=2027, month=4, defaults={"value": 9}
    )
    return forecast


def _open_year_end():
    """The scene year's annual report, open (months 9–12 are not locked)."""
    occasion, _created = FollowUpOccasion.objects.get_or_create(
        year=2027,
        end_month=12,
        defaults={"kind": "annual", "name": "Årsredovisning", "deadline": date(2028, 2, 15)},
    )
    return occasion


def _unit_objects(unit, indicator_name: str, occasion) -> UnitObjects:
    card = make_scorecard(unit, year=2027, status=ScorecardStatus.DRAFT)
    goal = make_goal(card, f"Utkastmål {unit.name}")
    indicator = make_indicator(indicator_name, frequency=Frequency.MONTHLY)
    metric = make_metric(goal, indicator)
    return UnitObjects(
        unit=unit,
        card=card,
        goal=goal,
        strategy=make_strategy(goal, f"Strategi {unit.name}"),
        metric=metric,
        action=Action.objects.create(goal=goal, title=f"Aktivitet {unit.name}"),
        measurement=Measurement.objects.create(
            indicator=indicator, unit=unit, year=2027, month=1, value=10
        ),
        target=make_target(metric, 50, year=2028),
        assessment=Assessment.objects.create(goal=goal, occasion=occasion, status="met"),
    )


@pytest.fixture
def scene(world, chain) -> Scene:
    make_subtree_admin(world)
    deadline = date(2027, 5, 15)
    GoalProgramme.objects.update(end_year=2031)  # so scorecards can be made and copied up to 2031
    occasion = FollowUpOccasion.objects.create(
        year=2027, end_month=4, kind="tertial", name="Tertial 1", deadline=deadline
    )
    locked = FollowUpOccasion.objects.create(
        year=2027,
        end_month=8,
        kind="interim",
        name="Delår",
        deadline=deadline,
        locked_at="2027-09-01T12:00:00Z",
    )
    for unit in (world.unit_a, world.unit_b):  # each unit's own lock, to be reopened
        OccasionUnitLock.objects.create(occasion=locked, unit=unit)
    return Scene(
        world=world,
        chain=chain,
        a=_unit_objects(world.unit_a, "Mätetal i A", locked),
        b=_unit_objects(world.unit_b, "Mätetal i B", locked),
        occasion=occasion,
        locked_occasion=locked,
        spare_indicator=make_indicator("Ledigt mätetal"),
        kpi=KoladaKpi.objects.create(id="N00001", title="Ett Kolada-nyckeltal"),
        reader_role=RoleAssignment.objects.get(user=world.reader),
        reporter_role=RoleAssignment.objects.get(user=world.reporter),
    )


def _late_occasion(s):
    """Tertial 1 of 2026, its deadline passed, with Miljöförvaltningen's adopted scorecard
    lacking values: someone to remind (its editor, who has an e-mail address)."""
    occasion, created = FollowUpOccasion.objects.get_or_create(
        year=2026,
        end_month=4,
        defaults={"kind": "tertial", "name": "Tertial 1 2026", "deadline": date(2026, 5, 15)},
    )
    if created:
        waste = make_indicator("Avfall att påminna om", frequency=Frequency.MONTHLY)
        make_metric(s.chain.mid, waste)
        s.world.editor.email = "editor@example.se"
        s.world.editor.save()
    return occasion


def _unused_perspective():
    return Perspective.objects.create(name="Oanvänt perspektiv", slug="oanvant")


def _token_of(user):
    return ApiToken.issue(user=user, name="Ett system")[0]


def _unused_programme():
    return GoalProgramme.objects.create(
        name="Oanvänt program", vision="–", start_year=2040, end_year=2043
    )


API_PUBLIC = ["unit", "programme", "perspective", "indicator", "occasion", "period"]
API_DRAFT = [
    "scorecard",
    "goal",
    "strategy",
    "metric",
    "target",
    "value",
    "forecast",
    "assessment",
    "action",
]


Kwargs = Callable[[Scene, UnitObjects], dict]
Payload = Callable[[Scene, UnitObjects], dict]


@dataclass
class Case:
    kwargs: Kwargs = lambda s, u: {}  # noqa: E731
    get: dict = field(default_factory=lambda: EVERYONE)
    post: dict | None = None
    payload: Payload = lambda s, u: {}  # noqa: E731
    query: str = ""
    json: bool = False  # the REST API takes JSON bodies
    path: str | None = None  # for a pattern without a name
    # True when the path holds an object of a unit (so the other-unit test applies).
    unit_scoped: bool = False


def _version(card) -> int:
    """The number of ``card``'s adopted version, made the first time it is asked for."""
    from scorecards.adoption import record_adoption

    version = card.adopted_versions.first() or record_adoption(card, None)
    return version.number


def _yr(s, u) -> dict:
    """Unit ``u``'s year report objects, made the first time they are asked for."""
    from yearreports.testing import scene_reports

    return scene_reports(s, u)


def _target_payload(s, u):
    return {"comparator": "gte", "value": "5", "tolerance": "0"}


def _assignment(u: UnitObjects):
    """A draft assignment (no decision date yet) issued by the unit to itself."""
    from assignments.models import Assignment, AssignmentReceiver

    found, created = Assignment.objects.get_or_create(
        issuer=u.unit, title=f"Uppdrag {u.unit.name}", defaults={"text": "Utred."}
    )
    if created:
        AssignmentReceiver.objects.create(assignment=found, unit=u.unit)
    return found


def _public_assignment(s: Scene):
    """Fullmäktige's assignment to unit A: decided, so public."""
    from assignments.models import Assignment, AssignmentReceiver

    found, created = Assignment.objects.get_or_create(
        issuer=s.world.city,
        title="Fullmäktiges uppdrag",
        defaults={"text": "Utred.", "decided_on": date(2027, 1, 30), "decided_by": "KF"},
    )
    if created:
        AssignmentReceiver.objects.create(assignment=found, unit=s.world.unit_a)
    return found


def _assignment_payload(s, u):
    return {
        "issuer": u.unit.pk,
        "title": "Nytt uppdrag",
        "text": "Utred saken.",
        "receivers": [u.unit.pk],
        "version": _assignment(u).version,
    }


def _control(u: UnitObjects):
    """Unit A's (or B's) internal control plan for 2027, not public, with a risk and a control."""
    from internalcontrol.models import Control, ControlPlan, Risk

    plan, created = ControlPlan.objects.get_or_create(unit=u.unit, year=2027)
    if created:
        risk = Risk.objects.create(
            plan=plan, process="Inköp", title="Köp utanför avtal", probability=2, consequence=3
        )
        Control.objects.create(risk=risk, title="Stickprov", owner="Controller")
    return Control.objects.get(risk__plan=plan)


RISK_PAYLOAD = {"process": "IT", "title": "Driftstopp", "probability": "2", "consequence": "2"}
CONTROL_PAYLOAD = {"title": "Kontroll av loggar", "owner": "IT-chef"}
# Adopting a plan: the administrators of its unit; its hidden drafts answer 404 to others.
A_PLAN_ADOPT = expect(200, 403, 403, 404, LOGIN, subadmin=200)
A_PLAN_ADOPT_POST = expect(MOVED, 403, 403, 404, LOGIN, subadmin=MOVED)


def _economy_rule(s, u):
    from economy.mapping import ensure_default_statement

    return {"rule-prefix": "3510", "rule-row": ensure_default_statement()[0].pk}


def _economy_amount(unit):
    from economy.mapping import ensure_default_statement
    from economy.models import Amount

    row = ensure_default_statement()[0]
    return Amount.objects.get_or_create(
        unit=unit, row=row, year=2027, month=1, version="utfall", defaults={"amount": 1}
    )[0]


def _economy_forecast(s, u):
    from economy.mapping import ensure_default_statement

    return {f"row_{ensure_default_statement()[1].pk}": "1200", "comment": "Prognos"}


TABLE: dict[str, Case] = {
    # core, public pages
    "healthz": Case(),
    "home": Case(),
    "unit_tree": Case(),
    "unit_detail": Case(kwargs=lambda s, u: {"code": u.unit.code}),
    "programme_list": Case(),
    "programme_detail": Case(kwargs=lambda s, u: {"pk": u.card.programme_id}),
    "indicator_list": Case(),
    "indicator_detail": Case(kwargs=lambda s, u: {"pk": u.metric.indicator_id}),
    "scorecard_detail": Case(
        kwargs=lambda s, u: {"pk": u.card.pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "scorecard_detail#public": Case(kwargs=lambda s, u: {"pk": s.chain.mid.scorecard_id}),
    "goal_chain": Case(kwargs=lambda s, u: {"pk": u.goal.pk}, get=A_DRAFT_READ, unit_scoped=True),
    # A version kept of a scorecard that is a draft again follows the draft's visibility.
    "adopted_version": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "number": _version(u.card)},
        get=A_DRAFT_READ,
        unit_scoped=True,
    ),
    "adopted_version#public": Case(
        kwargs=lambda s, u: {
            "pk": s.chain.mid.scorecard_id,
            "number": _version(s.chain.mid.scorecard),
        }
    ),
    "goal_chain#public": Case(kwargs=lambda s, u: {"pk": s.chain.mid.pk}),
    # organisation
    "unit_create": Case(
        get=expect(200, 200, 403, 403, LOGIN),
        post=expect(MOVED, MOVED, 403, 403, LOGIN),
        payload=lambda s, u: {
            "parent": u.unit.pk,
            "name": "Ny enhet",
            "kind": "enhet",
            "code": "ny-enhet",
            "order": "0",
        },
    ),
    "unit_edit": Case(
        kwargs=lambda s, u: {"code": u.unit.code},
        get=A_PUBLIC_EDIT,
        post=A_PUBLIC_EDIT_POST,
        payload=lambda s, u: {
            "parent": u.unit.parent_id,
            "name": "Omdöpt",
            "kind": u.unit.kind,
            "order": "0",
        },
        unit_scoped=True,
    ),
    "unit_deactivate": Case(
        kwargs=lambda s, u: {"code": s.world.unit_a1.code if u is s.a else u.unit.code},
        get=A_PUBLIC_EDIT,
        post=A_PUBLIC_EDIT_POST,
        payload=lambda s, u: {"active_until": "2030-12-31"},
        unit_scoped=True,
    ),
    # Roles: unit A's administrator gives them in A (and below), nowhere else.
    "role_list": Case(
        kwargs=lambda s, u: {"code": u.unit.code},
        get=A_ADMIN,
        post=A_ADMIN_POST,
        payload=lambda s, u: {"user": s.world.reporter.pk, "role": "admin"},
        unit_scoped=True,
    ),
    "role_list#below": Case(
        kwargs=lambda s, u: {"code": s.world.unit_a1.code},
        get=A_ADMIN,
        post=A_ADMIN_POST,
        payload=lambda s, u: {"user": s.world.reader.pk, "role": "editor"},
    ),
    "role_list#city": Case(
        kwargs=lambda s, u: {"code": s.world.city.code},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"user": s.world.reporter.pk, "role": "admin"},
    ),
    "role_remove": Case(
        kwargs=lambda s, u: {"code": s.world.unit_b.code, "pk": s.reader_role.pk},
        get=POST_ONLY,
        post=ADMIN_ONLY_POST,
    ),
    "role_remove#a": Case(
        kwargs=lambda s, u: {"code": s.world.unit_a.code, "pk": s.reporter_role.pk},
        get=POST_ONLY,
        post=A_ADMIN_POST,
    ),
    # scorecards
    "scorecard_create": Case(
        kwargs=lambda s, u: {"code": u.unit.code},
        get=A_PUBLIC_EDIT,
        post=A_PUBLIC_EDIT_POST,
        payload=lambda s, u: {"year": "2030"},
        unit_scoped=True,
    ),
    "scorecard_edit": Case(
        kwargs=lambda s, u: {"pk": u.card.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {
            "introduction": "Ny inledning",
            "perspectives": list(u.card.perspectives.values_list("pk", flat=True)),
            "programme": u.card.programme_id,
        },
        unit_scoped=True,
    ),
    "scorecard_adopt": Case(
        kwargs=lambda s, u: {"pk": u.card.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {
            "decided_by": "Miljönämnden",
            "decided_on": "2026-12-01",
            "paragraph": "7",
            "diary_number": "MN 2026/1",
        },
        unit_scoped=True,
    ),
    # Archiving needs an adopted scorecard, which everyone may read.
    "scorecard_archive": Case(
        kwargs=lambda s, u: {"pk": s.chain.mid.scorecard_id},
        get=A_PUBLIC_EDIT,
        post=A_PUBLIC_EDIT_POST,
    ),
    "scorecard_copy": Case(
        kwargs=lambda s, u: {"pk": u.card.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {"year": "2031"},
        unit_scoped=True,
    ),
    "goal_create": Case(
        kwargs=lambda s, u: {"pk": u.card.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {
            "perspective": u.goal.perspective_id,
            "title": "Nytt mål",
            "order": "5",
        },
        unit_scoped=True,
    ),
    "goal_edit": Case(
        kwargs=lambda s, u: {"pk": u.goal.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {
            "perspective": u.goal.perspective_id,
            "title": "Ändrat mål",
            "order": "1",
        },
        unit_scoped=True,
    ),
    # The goal chain is edited on unit A's adopted goal, which links to the city's goal.
    "goal_links": Case(
        kwargs=lambda s, u: {"pk": s.chain.mid.pk},
        get=A_PUBLIC_EDIT,
        post=A_PUBLIC_EDIT_POST,
        # An adopted scorecard: a change after the decision says why (scorecards.adoption).
        payload=lambda s, u: {"change_reason": "Målkedjan ses över."},
    ),
    "strategy_create": Case(
        kwargs=lambda s, u: {"pk": u.goal.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {"text": "Ny strategi", "order": "2"},
        unit_scoped=True,
    ),
    "strategy_edit": Case(
        kwargs=lambda s, u: {"pk": u.strategy.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {"text": "Ändrad strategi", "order": "1"},
        unit_scoped=True,
    ),
    "strategy_delete": Case(
        kwargs=lambda s, u: {"pk": u.strategy.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        unit_scoped=True,
    ),
    # Indicators are shared by all scorecards: editors anywhere define them.
    "indicator_create": Case(
        get=expect(200, 200, 403, 403, LOGIN),
        post=expect(MOVED, MOVED, 403, 403, LOGIN),
        payload=lambda s, u: {
            "name": "Nytt mätetal",
            "code": "nytt",
            "unit": "st",
            "direction": "higher",
            "decimals": "0",
            "frequency": "yearly",
            "source": "manual",
            "aggregation": "none",
            "year_value": "last",
        },
    ),
    "indicator_edit": Case(
        kwargs=lambda s, u: {"pk": s.spare_indicator.pk},
        get=expect(200, 200, 403, 403, LOGIN),
        post=expect(MOVED, MOVED, 403, 403, LOGIN),
        payload=lambda s, u: {
            "name": "Omdöpt mätetal",
            "code": s.spare_indicator.code,
            "unit": "%",
            "direction": "higher",
            "decimals": "0",
            "frequency": "yearly",
            "source": "manual",
            "aggregation": "none",
            "year_value": "last",
        },
    ),
    "metric_create": Case(
        kwargs=lambda s, u: {"pk": u.goal.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {
            "indicator": s.spare_indicator.pk,
            "weight": "1",
            "order": "2",
            "target-comparator": "",
        },
        unit_scoped=True,
    ),
    "metric_delete": Case(
        kwargs=lambda s, u: {"pk": u.metric.pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        unit_scoped=True,
    ),
    "target_edit": Case(
        kwargs=lambda s, u: {"pk": u.metric.pk, "year": 2027},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=_target_payload,
        unit_scoped=True,
    ),
    # follow-up
    "value_entry": Case(
        kwargs=lambda s, u: {"pk": u.card.pk},
        query="?period=2027-10",
        get=A_DRAFT_REPORT,
        post=A_DRAFT_REPORT_POST,
        payload=lambda s, u: {"period": "2027-10", f"v-{u.metric.indicator_id}": "42"},
        unit_scoped=True,
    ),
    "occasion_list": Case(get=SIGNED_IN),
    "occasion_create_defaults": Case(
        kwargs=lambda s, u: {"year": 2028}, get=ADMIN_ONLY, post=ADMIN_ONLY_POST
    ),
    "occasion_detail": Case(kwargs=lambda s, u: {"pk": s.occasion.pk}, get=SIGNED_IN),
    # Reminding those late for an occasion (a POST-only button on its page): its administrators.
    "occasion_remind": Case(
        kwargs=lambda s, u: {"pk": _late_occasion(s).pk},
        get=expect(405, 405, 405, 405, LOGIN, subadmin=405),
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"styrkort": "alla"},
    ),
    "todo": Case(get=SIGNED_IN),  # "Att göra": everyone with a role (every persona has one)
    "occasion_lock": Case(
        kwargs=lambda s, u: {"pk": s.occasion.pk}, get=ADMIN_ONLY, post=ADMIN_ONLY_POST
    ),
    "occasion_reopen": Case(
        kwargs=lambda s, u: {"pk": s.locked_occasion.pk},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"reason": "Rättelse av utfall"},
    ),
    # A subtree's lock: unit A's administrator locks and reopens it for A, not for B.
    "occasion_unit_lock": Case(
        kwargs=lambda s, u: {"pk": s.occasion.pk, "code": s.world.unit_a.code},
        get=A_ADMIN,
        post=A_ADMIN_POST,
    ),
    "occasion_unit_lock#other": Case(
        kwargs=lambda s, u: {"pk": s.occasion.pk, "code": s.world.unit_b.code},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
    ),
    "occasion_unit_reopen": Case(
        kwargs=lambda s, u: {"pk": s.locked_occasion.pk, "code": s.world.unit_a.code},
        get=A_ADMIN,
        post=A_ADMIN_POST,
        payload=lambda s, u: {"reason": "Rättelse av utfall"},
    ),
    "occasion_unit_reopen#other": Case(
        kwargs=lambda s, u: {"pk": s.locked_occasion.pk, "code": s.world.unit_b.code},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"reason": "Rättelse av utfall"},
    ),
    # The citizen gets 404 before any sign-in redirect: a draft's follow-up page does not exist
    # for them.
    "scorecard_followup": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "occasion_pk": s.occasion.pk},
        get=A_DRAFT_READ,
        post=expect(MOVED, MOVED, MOVED, 404, 404),
        payload=lambda s, u: {
            "goal": u.goal.pk,
            f"mal-{u.goal.pk}-status": "met",
            f"mal-{u.goal.pk}-analysis": "Bra",
            f"mal-{u.goal.pk}-deviation_comment": "Bedömt av enheten",
            f"mal-{u.goal.pk}-version": "0",
        },
        unit_scoped=True,
    ),
    # A forecast is given at an occasion whose months are open: the scene's tertial lies
    # inside the locked delår, so the year's annual report (made on first use) is used.
    "scorecard_forecast": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "occasion_pk": _open_year_end().pk},
        get=A_DRAFT_READ,
        post=expect(MOVED, MOVED, MOVED, 404, 404),
        payload=lambda s, u: {
            f"f-{u.metric.indicator_id}": "42",
            f"fver-{u.metric.indicator_id}": "0",
        },
        unit_scoped=True,
    ),
    "scorecard_forecast#goal": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "occasion_pk": s.occasion.pk},
        get=A_DRAFT_READ,
        post=expect(MOVED, MOVED, MOVED, 404, 404),
        payload=lambda s, u: {
            "goal": u.goal.pk,
            "forecast_status": "met",
            "forecast": "Bedömt av enheten",
            "version": "0",
        },
        unit_scoped=True,
    ),
    "action_list": Case(kwargs=lambda s, u: {"pk": u.card.pk}, get=A_DRAFT_READ, unit_scoped=True),
    "action_create": Case(
        kwargs=lambda s, u: {"pk": u.goal.pk},
        get=A_DRAFT_REPORT,
        post=A_DRAFT_REPORT_POST,
        payload=lambda s, u: {"title": "Ny aktivitet", "owner": "Enhetschef", "state": "planned"},
        unit_scoped=True,
    ),
    "action_edit": Case(
        kwargs=lambda s, u: {"pk": u.action.pk},
        get=A_DRAFT_REPORT,
        post=A_DRAFT_REPORT_POST,
        payload=lambda s, u: {
            "title": "Ändrad aktivitet",
            "owner": "Enhetschef",
            "state": "ongoing",
        },
        unit_scoped=True,
    ),
    "metric_trend": Case(
        kwargs=lambda s, u: {"pk": u.metric.pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "object_history": Case(
        kwargs=lambda s, u: {"kind": "goal", "pk": u.goal.pk},
        get=expect(200, 200, 200, 404, LOGIN),
        unit_scoped=True,
    ),
    "object_history#measurement": Case(
        kwargs=lambda s, u: {"kind": "measurement", "pk": u.measurement.pk},
        get=expect(200, 200, 200, 404, LOGIN),
        unit_scoped=True,
    ),
    # kolada
    "kpi_picker": Case(query="?q=Kolada"),
    "indicator_link_kpi": Case(
        kwargs=lambda s, u: {"pk": s.spare_indicator.pk},
        get=POST_ONLY,
        post=expect(MOVED, MOVED, 403, 403, LOGIN),
        payload=lambda s, u: {"kpi": s.kpi.id},
    ),
    "sync_status": Case(get=ADMIN_ONLY, post=expect(SKIP, 403, 403, 403, LOGIN, subadmin=403)),
    "sync_conflicts": Case(get=ADMIN_ONLY, post=expect(SKIP, 403, 403, 403, LOGIN, subadmin=403)),
    "benchmark": Case(
        kwargs=lambda s, u: {"indicator_pk": s.spare_indicator.pk},
        post=expect(SKIP, SKIP, 403, 403, 403),
    ),
    # accounts and audit
    "login": Case(get=expect(MOVED, MOVED, MOVED, MOVED, 200)),
    "logout": Case(get=POST_ONLY),
    "oidc_authentication_init": Case(get=NOT_CONFIGURED),
    "oidc_authentication_callback": Case(get=NOT_CONFIGURED),
    "person_list": Case(get=ADMIN_ONLY),
    "person_detail": Case(kwargs=lambda s, u: {"pk": s.world.reader.pk}, get=ADMIN_ONLY),
    "person_set_active": Case(
        kwargs=lambda s, u: {"pk": s.world.reader.pk},
        get=POST_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"active": "0"},
    ),
    "person_create": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {
            "first_name": "Ny",
            "last_name": "Person",
            "email": "ny.person@example.se",
            "unit": u.unit.pk,
            "role": "reader",
        },
    ),
    # Sending an invitation changes no row (the audit log aside): accounts/tests/test_invite.py
    # proves who may send one.
    "person_invite": Case(kwargs=lambda s, u: {"pk": s.world.reader.pk}, get=POST_ONLY),
    # API tokens of a person: the secret is shown on the page that answers the POST.
    "person_token_create": Case(
        kwargs=lambda s, u: {"pk": s.world.reader.pk},
        get=POST_ONLY,
        post=expect(200, 403, 403, 403, LOGIN, subadmin=403),
        payload=lambda s, u: {"name": "Ekonomisystemet"},
    ),
    "person_token_revoke": Case(
        kwargs=lambda s, u: {"pk": s.world.reader.pk, "token_pk": _token_of(s.world.reader).pk},
        get=POST_ONLY,
        post=ADMIN_ONLY_POST,
    ),
    # An invitation link is for whoever holds it; a wrong one says so (the token flow:
    # accounts/tests/test_invite.py).
    "password_set": Case(kwargs=lambda s, u: {"uidb64": "MQ", "token": "fel-token"}),
    # Administration of what the whole municipality shares.
    "administration": Case(get=ADMIN_ONLY),
    "perspective_list": Case(get=ADMIN_ONLY),
    "perspective_create": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: (
            {"name": "Nytt perspektiv", "colour": "#112233", "icon": "leaf"}
            | {"order": "5", "active": "on"}
        ),
    ),
    "perspective_edit": Case(
        kwargs=lambda s, u: {"pk": u.goal.perspective_id},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: (
            {"name": "Omdöpt perspektiv", "colour": "#112233", "icon": "leaf"}
            | {"order": "5", "active": "on"}
        ),
    ),
    "perspective_delete": Case(
        kwargs=lambda s, u: {"pk": _unused_perspective().pk}, get=ADMIN_ONLY, post=ADMIN_ONLY_POST
    ),
    "programme_create": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: (
            {"name": "Nytt program", "vision": "En vision"}
            | {"start_year": "2032", "end_year": "2035"}
        ),
    ),
    "programme_edit": Case(
        kwargs=lambda s, u: {"pk": u.card.programme_id},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: (
            {"name": "Omdöpt program", "vision": "Ny vision"}
            | {"start_year": "2020", "end_year": "2031"}
        ),
    ),
    "programme_delete": Case(
        kwargs=lambda s, u: {"pk": _unused_programme().pk}, get=ADMIN_ONLY, post=ADMIN_ONLY_POST
    ),
    "occasion_create": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: (
            {"year": "2027", "kind": "month", "name": "Månadsrapport mars"}
            | {"start_month": "3", "end_month": "3", "deadline": "2027-04-15"}
        ),
    ),
    "occasion_edit": Case(
        kwargs=lambda s, u: {"pk": s.occasion.pk},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: (
            {"year": "2027", "kind": "tertial", "name": "T1 omdöpt"}
            | {"start_month": "1", "end_month": "4", "deadline": "2027-05-20"}
        ),
    ),
    "occasion_delete": Case(
        kwargs=lambda s, u: {"pk": s.occasion.pk}, get=ADMIN_ONLY, post=ADMIN_ONLY_POST
    ),
    "assessment_scale": Case(
        get=SIGNED_IN,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"scale": "trend", "confirm": "on"},
    ),
    "audit_log": Case(get=ADMIN_ONLY),
    # The first-run setup (firstrun/): administrators of the whole municipality only. Uploading
    # a file is the admin's own test (firstrun/tests/test_tree_import.py).
    "setup_start": Case(get=ADMIN_ONLY),
    "setup_finish": Case(get=POST_ONLY, post=ADMIN_ONLY_POST),
    "setup_municipality": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {
            "name": "Tanums kommun",
            "designation": "kommun",
            "kolada_id": "1435",
        },
    ),
    "setup_kinds": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"kinds": ["kommun", "styrelse", "namnd", "forvaltning", "enhet"]},
    ),
    "setup_units": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"name": "Ny", "kind": "enhet", "parent": u.unit.pk, "code": "ny-1"},
    ),
    "setup_import": Case(get=POST_ONLY, post=expect(SKIP, 403, 403, 403, LOGIN)),
    "setup_import_template": Case(get=ADMIN_ONLY),
    "setup_import_preview": Case(
        get=expect(MOVED, 403, 403, 403, LOGIN), post=expect(SKIP, 403, 403, 403, LOGIN)
    ),
    "setup_perspectives": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {
            "own": "1",
            "name": "Hållbarhet",
            "colour": "#005ea5",
            "icon": "leaf",
        },
    ),
    "setup_programme": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {
            "name": "Nytt målprogram",
            "vision": "En vision",
            "start_year": "2027",
            "end_year": "2030",
        },
    ),
    "setup_calendar": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"year": "2029", "m4_on": "on", "m4_deadline": "2029-05-08"},
    ),
    # The REST API (/api/v1/): the same rules as the pages. Lists are public and filtered (what
    # each persona finds in them: api/tests/test_access.py); unit A's draft objects answer 404 to
    # those without a role there. Writes take JSON.
    "api:<unnamed api/>": Case(path="/api/finns-inte/", get=NOT_CONFIGURED),
    "api:schema": Case(),
    "api:docs": Case(),
    **{f"api:{name}-list": Case() for name in API_PUBLIC + API_DRAFT},
    **{
        f"api:{name}-detail": Case(kwargs=(lambda n: lambda s, u: {"pk": s.pk_of(n, u)})(name))
        for name in API_PUBLIC
    },
    **{
        f"api:{name}-detail": Case(
            kwargs=(lambda n: lambda s, u: {"pk": s.pk_of(n, u)})(name),
            get=A_DRAFT_READ,
            unit_scoped=True,
        )
        for name in API_DRAFT
    },
    "api:report-list": Case(),
    "api:reportsection-list": Case(),
    "api:report-detail": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["report"].pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "api:reportsection-detail": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["draft"].pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "api:value-list": Case(
        get=EVERYONE,
        post=expect(201, 201, 201, 403, 401),
        json=True,
        payload=lambda s, u: {
            "unit": u.unit.pk,
            "year": 2027,
            "month": 10,
            "indicator": u.metric.indicator_id,
            "value": "42",
        },
    ),
    "api:value-bulk": Case(
        get=POST_ONLY,
        post=expect(200, 200, 200, 403, 401),
        json=True,
        payload=lambda s, u: {
            "unit": u.unit.pk,
            "year": 2027,
            "month": 10,
            "rows": [{"indicator": u.metric.indicator_id, "value": "42"}],
        },
    ),
    "api:forecast-list": Case(
        get=EVERYONE,
        post=expect(201, 201, 201, 403, 401),
        json=True,
        payload=lambda s, u: {
            "unit": u.unit.pk,
            "year": 2027,
            "month": 10,
            "indicator": u.metric.indicator_id,
            "value": "420",
        },
    ),
    "api:forecast-bulk": Case(
        get=POST_ONLY,
        post=expect(200, 200, 200, 403, 401),
        json=True,
        payload=lambda s, u: {
            "unit": u.unit.pk,
            "year": 2027,
            "month": 10,
            "rows": [{"indicator": u.metric.indicator_id, "value": "420"}],
        },
    ),
    "api:action-list": Case(
        get=EVERYONE,
        post=expect(201, 201, 201, 422, 401),
        json=True,
        payload=lambda s, u: {"goal": u.goal.pk, "title": "Via API", "owner": "Enhetschef"},
    ),
    "api:assignment-list": Case(
        get=EVERYONE,
        post=expect(201, 201, 403, 403, 401),
        json=True,
        payload=lambda s, u: {
            "issuer": u.unit.pk,
            "title": "Via API",
            "text": "Utred.",
            "receivers": [u.unit.code],
        },
    ),
    "api:assignment-detail": Case(
        kwargs=lambda s, u: {"pk": _assignment(u).pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "api:assignment-report": Case(
        kwargs=lambda s, u: {"pk": _assignment(u).pk},
        get=POST_ONLY,
        post=expect(200, 200, 200, 404, 401),
        json=True,
        payload=lambda s, u: {
            "unit": u.unit.pk,
            "occasion": s.occasion.pk,
            "status": "ongoing",
            "version": 0,
        },
        unit_scoped=True,
    ),
    "api:risk-list": Case(),
    "api:risk-detail": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk_id}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "api:control-list": Case(),
    "api:control-detail": Case(
        kwargs=lambda s, u: {"pk": _control(u).pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "api:control-result": Case(
        kwargs=lambda s, u: {"pk": _control(u).pk},
        get=POST_ONLY,
        post=expect(200, 200, 200, 404, 401),
        json=True,
        payload=lambda s, u: {"occasion": s.occasion.pk, "result": "ok", "version": 0},
        unit_scoped=True,
    ),
    # reports: exports and PDFs follow the scorecard's visibility; imports need a reporter (values)
    # or an editor (targets) of the unit.
    "import_start": Case(
        kwargs=lambda s, u: {"pk": u.card.pk}, get=A_DRAFT_REPORT, unit_scoped=True
    ),
    "import_template": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "kind": "utfall"},
        get=A_DRAFT_REPORT,
        unit_scoped=True,
    ),
    "import_upload": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "kind": "utfall"},
        get=POST_ONLY,
        post=expect(SKIP, SKIP, SKIP, 404, LOGIN),
        unit_scoped=True,
    ),
    "import_preview": Case(
        kwargs=lambda s, u: {"batch_id": "00000000-0000-0000-0000-000000000001"},
        get=expect(404, 404, 404, 404, LOGIN),
    ),
    # Existing scorecards from a workbook: editors anywhere; each row's unit is checked by the
    # import itself (reports/tests/test_scorecard_import.py). Without an upload the preview sends
    # the user back to the start page.
    "scorecard_import_start": Case(
        get=expect(200, 200, 403, 403, LOGIN, subadmin=200),
        post=expect(SKIP, SKIP, 403, 403, LOGIN, subadmin=SKIP),
    ),
    "scorecard_import_template": Case(get=expect(200, 200, 403, 403, LOGIN, subadmin=200)),
    "scorecard_import_preview": Case(
        get=expect(MOVED, MOVED, 403, 403, LOGIN, subadmin=MOVED),
        post=expect(SKIP, SKIP, 403, 403, LOGIN, subadmin=SKIP),
    ),
    "scorecard_export": Case(
        kwargs=lambda s, u: {"pk": u.card.pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "scorecard_export#public": Case(kwargs=lambda s, u: {"pk": s.chain.mid.scorecard_id}),
    "scorecard_pdf": Case(
        kwargs=lambda s, u: {"pk": u.card.pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "followup_export": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "occasion_pk": s.occasion.pk},
        get=A_DRAFT_READ,
        unit_scoped=True,
    ),
    "followup_pdf": Case(
        kwargs=lambda s, u: {"pk": u.card.pk, "occasion_pk": s.occasion.pk},
        get=A_DRAFT_READ,
        unit_scoped=True,
    ),
    "occasion_export": Case(kwargs=lambda s, u: {"pk": s.occasion.pk}, get=SIGNED_IN),
    "open_data": Case(),
    "open_data_csv": Case(),
    "open_data_json": Case(),
    # operations: /metrics answers only a scraper with its token (none set here), /drift/ admins.
    "readyz": Case(),
    "readyz_worker": Case(),  # 200 "not used": the tests run jobs in the request
    "metrics": Case(get=NOT_CONFIGURED),
    "ops_status": Case(get=ADMIN_ONLY),
    # The Word template for report exports: uploading a file is the admin's own test
    # (core/tests/test_word_template.py).
    "word_template": Case(get=ADMIN_ONLY, post=expect(SKIP, 403, 403, 403, LOGIN, subadmin=403)),
    "ops_job_file": Case(
        kwargs=lambda s, u: {"pk": "00000000-0000-0000-0000-000000000001"},
        get=expect(404, 403, 403, 403, LOGIN, subadmin=403),
    ),
    # The year's reports (yearreports): templates and sending them out are the whole
    # municipality's; a report is read by its unit's roles (public once completed), written by its
    # reporters and editors, approved and completed by its owner (editor) or an administrator.
    "yearreports:report_list": Case(),
    "yearreports:template_list": Case(get=ADMIN_ONLY),
    "yearreports:template_create": Case(
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"name": "Årsredovisning", "kind": "annual", "year": "2027"},
    ),
    "yearreports:template_detail": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["template"].pk}, get=ADMIN_ONLY
    ),
    "yearreports:template_edit": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["template"].pk},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"name": "Tertialrapport", "kind": "tertial", "year": "2027"},
    ),
    "yearreports:template_copy": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["template"].pk},
        get=POST_ONLY,
        post=ADMIN_ONLY_POST,
    ),
    "yearreports:template_section_create": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["template"].pk},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {
            "heading": "Ekonomi",
            "guidance": "Kommentera utfallet.",
            "free_text": "on",
            "blocks": ["metrics"],
            "mandatory": "on",
            "order": "4",
        },
    ),
    "yearreports:template_section_edit": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["draft"].template_section_id},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"heading": "Viktiga händelser", "free_text": "on", "order": "1"},
    ),
    "yearreports:template_section_delete": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["optional"].template_section_id},
        get=POST_ONLY,
        post=ADMIN_ONLY_POST,
    ),
    "yearreports:occasion_reports": Case(
        kwargs=lambda s, u: {"occasion_pk": _yr(s, u)["report"].occasion_id}, get=SIGNED_IN
    ),
    "yearreports:distribute": Case(
        kwargs=lambda s, u: {"occasion_pk": _yr(s, u)["report"].occasion_id},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY_POST,
        payload=lambda s, u: {"template": _yr(s, u)["template"].pk, "kinds": ["kommun"]},
    ),
    "yearreports:remind": Case(
        kwargs=lambda s, u: {"occasion_pk": _yr(s, u)["report"].occasion_id},
        get=POST_ONLY,
        post=ADMIN_ONLY_POST,
    ),
    "yearreports:report_detail": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["report"].pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "yearreports:section_add": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["report"].pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {"heading": "Vårt eget avsnitt", "guidance": ""},
        unit_scoped=True,
    ),
    "yearreports:complete": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["done"].pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {
            "body": "Kommunfullmäktige",
            "date": "2027-10-28",
            "paragraph": "§ 12",
            "diary_number": "KS 2027/1",
        },
        unit_scoped=True,
    ),
    "yearreports:docx": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["report"].pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "yearreports:pdf": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["report"].pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "yearreports:html": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["report"].pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "yearreports:section_edit": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["draft"].pk},
        get=A_DRAFT_READ,
        post=A_DRAFT_REPORT_POST,
        payload=lambda s, u: {"text": "<p>Ny text</p>", "version": str(_yr(s, u)["draft"].version)},
        unit_scoped=True,
    ),
    "yearreports:section_ready": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["draft"].pk},
        get=POST_ONLY,
        post=A_DRAFT_REPORT_POST,
        unit_scoped=True,
    ),
    "yearreports:section_send_back": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["ready"].pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {"reason": "Skriv mer om energin."},
        unit_scoped=True,
    ),
    "yearreports:section_approve": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["ready"].pk},
        get=POST_ONLY,
        post=A_DRAFT_EDIT_POST,
        unit_scoped=True,
    ),
    "yearreports:section_quote": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["draft"].pk},
        get=POST_ONLY,
        post=A_DRAFT_REPORT_POST,
        payload=lambda s, u: {"source": str(_yr(s, u)["source"].pk)},
        unit_scoped=True,
    ),
    "yearreports:section_hide": Case(
        kwargs=lambda s, u: {"pk": _yr(s, u)["optional"].pk},
        get=POST_ONLY,
        post=A_DRAFT_EDIT_POST,
        unit_scoped=True,
    ),
    # Django's language switch: a GET only sends you back.
    # assignments (uppdrag): drafts read like unit A's draft scorecard; a decided one is public
    "assignment_list": Case(),
    "assignment_open_data_csv": Case(),
    "assignment_open_data_json": Case(),
    "assignment_detail": Case(
        kwargs=lambda s, u: {"pk": _assignment(u).pk}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "assignment_detail#public": Case(kwargs=lambda s, u: {"pk": _public_assignment(s).pk}),
    "assignment_create": Case(
        get=A_PUBLIC_EDIT, post=A_PUBLIC_EDIT_POST, payload=_assignment_payload
    ),
    "assignment_edit": Case(
        kwargs=lambda s, u: {"pk": _assignment(u).pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=_assignment_payload,
        unit_scoped=True,
    ),
    "assignment_close": Case(
        kwargs=lambda s, u: {"pk": _assignment(u).pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {"close_comment": "Inaktuellt", "version": _assignment(u).version},
        unit_scoped=True,
    ),
    "assignment_report": Case(
        kwargs=lambda s, u: {
            "pk": _assignment(u).receivers.get().pk,
            "occasion": s.occasion.pk,
        },
        get=A_DRAFT_REPORT,
        post=A_DRAFT_REPORT_POST,
        payload=lambda s, u: {"status": "ongoing", "comment": "Pågår", "version": "0"},
        unit_scoped=True,
    ),
    # importing assignments: an editor anywhere opens the page; the issuer is one of their units
    # (assignments/tests/test_import.py). Without an upload the preview sends you back.
    "assignment_import": Case(
        get=A_PUBLIC_EDIT, post=expect(SKIP, SKIP, 403, 403, LOGIN, subadmin=SKIP)
    ),
    "assignment_import_template": Case(get=A_PUBLIC_EDIT),
    "assignment_import_preview": Case(
        get=expect(MOVED, MOVED, 403, 403, LOGIN),
        post=expect(SKIP, SKIP, 403, 403, LOGIN, subadmin=SKIP),
    ),
    # internal control: plans are not public by default (read like unit A's drafts)
    "control_plan_list": Case(),
    "control_plan_create": Case(
        get=A_PUBLIC_EDIT,
        post=A_PUBLIC_EDIT_POST,
        payload=lambda s, u: {
            "unit": s.world.unit_a.pk if u is s.a else u.unit.pk,
            "year": "2030",
            "probability_levels": "4",
            "consequence_levels": "4",
        },
    ),
    "control_plan_detail": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk.plan_id}, get=A_DRAFT_READ, unit_scoped=True
    ),
    "control_plan_edit": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk.plan_id},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: {
            "probability_levels": "5",
            "consequence_levels": "4",
            "is_public": "on",
            "version": "1",
        },
        unit_scoped=True,
    ),
    "control_plan_adopt": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk.plan_id},
        get=A_PLAN_ADOPT,
        post=A_PLAN_ADOPT_POST,
        payload=lambda s, u: {
            "decided_by": "Miljönämnden",
            "decided_on": "2027-02-01",
            "version": "1",
        },
        unit_scoped=True,
    ),
    # importing a plan's risks: the editors of the plan's unit (internalcontrol/tests/test_import.py)
    "control_plan_import": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk.plan_id},
        get=A_DRAFT_EDIT,
        post=expect(SKIP, SKIP, 403, 404, LOGIN),
        unit_scoped=True,
    ),
    "control_plan_import_template": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk.plan_id}, get=A_DRAFT_EDIT, unit_scoped=True
    ),
    "control_plan_import_preview": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk.plan_id},
        get=expect(MOVED, MOVED, 403, 404, LOGIN),
        post=expect(SKIP, SKIP, 403, 404, LOGIN),
        unit_scoped=True,
    ),
    "risk_create": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk.plan_id},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: dict(RISK_PAYLOAD),
        unit_scoped=True,
    ),
    "risk_edit": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk_id},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: dict(RISK_PAYLOAD),
        unit_scoped=True,
    ),
    "risk_delete": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk_id},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        unit_scoped=True,
    ),
    "control_delete": Case(
        kwargs=lambda s, u: {"pk": _control(u).pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        unit_scoped=True,
    ),
    "control_create": Case(
        kwargs=lambda s, u: {"pk": _control(u).risk_id},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: dict(CONTROL_PAYLOAD),
        unit_scoped=True,
    ),
    "control_edit": Case(
        kwargs=lambda s, u: {"pk": _control(u).pk},
        get=A_DRAFT_EDIT,
        post=A_DRAFT_EDIT_POST,
        payload=lambda s, u: dict(CONTROL_PAYLOAD),
        unit_scoped=True,
    ),
    "control_result": Case(
        kwargs=lambda s, u: {"pk": _control(u).pk, "occasion": s.occasion.pk},
        get=A_DRAFT_REPORT,
        post=A_DRAFT_REPORT_POST,
        payload=lambda s, u: {"result": "ok", "comment": "Inga fel", "version": "0"},
        unit_scoped=True,
    ),
    "set_language": Case(get=expect(MOVED, MOVED, MOVED, MOVED, MOVED)),
    # Economy (issue 22): importing and mapping for the whole municipality's administrators (and
    # economy editors by permission); a unit's economy for roles there or above, its forecast
    # for its editors. Unit A's economy page is unit-scoped by its code, which is public.
    "economy_home": Case(get=SIGNED_IN),
    # everyone 200: a list within rights (anonymous callers get an empty one: economy/tests)
    "api:economy-list": Case(),
    "api:economy-detail": Case(
        kwargs=lambda s, u: {"pk": _economy_amount(u.unit).pk},
        get=expect(200, 200, 200, 404, 404, subadmin=200),
        unit_scoped=True,
    ),
    "economy_upload": Case(get=ADMIN_ONLY, post=expect(SKIP, 403, 403, 403, LOGIN, subadmin=403)),
    "economy_preview": Case(
        kwargs=lambda s, u: {"batch_id": "00000000-0000-0000-0000-000000000001"},
        get=expect(404, 403, 403, 403, LOGIN, subadmin=403),
    ),
    "economy_mapping": Case(get=ADMIN_ONLY, post=ADMIN_ONLY_POST, payload=_economy_rule),
    "economy_unit": Case(
        kwargs=lambda s, u: {"code": u.unit.code, "year": 2027},
        get=expect(200, 200, 200, 403, LOGIN, subadmin=200),
        post=expect(MOVED, MOVED, 403, 403, LOGIN, subadmin=MOVED),
        payload=_economy_forecast,
    ),
    "economy_unit_xlsx": Case(
        kwargs=lambda s, u: {"code": u.unit.code, "year": 2027},
        get=expect(200, 200, 200, 403, LOGIN, subadmin=200),
    ),
}


# --- walking the resolver --------------------------------------------------------------------


def url_patterns() -> dict[str, str]:
    """{name (with namespace) or route: route} of every pattern except the admin and static."""
    found: dict[str, str] = {}

    def walk(resolver, prefix: str, namespace: str | None):
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = p.namespace if p.namespace else namespace
                if namespace and p.namespace:
                    ns = f"{namespace}:{p.namespace}"
                walk(p, route, ns)
            elif isinstance(p, URLPattern):
                key = p.name if p.name else f"<unnamed {route}>"
                found[f"{namespace}:{key}" if namespace else key] = route

    walk(get_resolver(), "", None)
    return found


def test_every_url_has_an_entry():
    names = url_patterns()
    covered = {key.split("#")[0] for key in TABLE}
    missing = sorted(set(names) - covered)
    assert not missing, (
        "URL patterns without an entry in the permission table (core/tests/"
        "test_url_permissions.py TABLE): "
        + ", ".join(f"{name} ({names[name]})" for name in missing)
    )


# --- requests --------------------------------------------------------------------------------


def clients(world) -> dict[str, Client]:
    found = {"anon": Client()}
    if not hasattr(world, "subadmin"):
        make_subtree_admin(world)
    for name in ("admin", "editor", "reporter", "reader", "subadmin"):
        found[name] = Client()
        found[name].force_login(getattr(world, name))
    return found


def fingerprint() -> dict[str, list]:
    """Every row of every model (history included), to prove a refused POST changed nothing."""
    rows = {}
    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if (
            label in VOLATILE_MODELS
            or not model._meta.managed
            or model._meta.db_table not in tables
        ):
            continue
        rows[label] = list(model._default_manager.order_by("pk").values_list())
    return rows


def _status(response) -> object:
    if response.status_code in (301, 302, 303):
        login = reverse("login")
        return LOGIN if response["Location"].startswith(login) else MOVED
    return response.status_code


def _request(client, method: str, url: str, data: dict, json: bool = False):
    """One request inside a savepoint that is rolled back, so every persona sees the same scene."""
    with transaction.atomic():
        before = fingerprint() if method == "post" else None
        if json and method == "post":
            response = client.post(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        changed = before is not None and fingerprint() != before
        transaction.set_rollback(True)
    return _status(response), changed


def _run(case: Case, scene: Scene, units: UnitObjects, personas):
    url = reverse_case(case, scene, units)
    data = case.payload(scene, units)
    problems = []
    by_persona = clients(scene.world)
    for persona in personas:
        client = by_persona[persona]
        got, _ = _request(client, "get", url, {})
        if case.get[persona] != got:
            problems.append(f"GET {url} as {persona}: expected {case.get[persona]}, got {got}")
        if case.post is None or case.post[persona] == SKIP:
            continue
        got, changed = _request(client, "post", url, data, case.json)
        wanted = case.post[persona]
        if wanted != got:
            problems.append(f"POST {url} as {persona}: expected {wanted}, got {got}")
        allowed = wanted in (MOVED, 200, 201)
        if allowed and not changed:
            problems.append(f"POST {url} as {persona}: allowed but changed nothing (bad payload?)")
        if not allowed and changed:
            problems.append(f"POST {url} as {persona}: REFUSED BUT CHANGED THE DATABASE")
    return problems


def reverse_case(case: Case, scene: Scene, units: UnitObjects) -> str:
    return reverse_name(case, scene, units) + case.query


def reverse_name(case: Case, scene: Scene, units: UnitObjects) -> str:
    if case.path:
        return case.path
    name = next(key for key, value in TABLE.items() if value is case).split("#")[0]
    return reverse(name, kwargs=case.kwargs(scene, units))


def _skip_if_absent(key: str) -> None:
    """Entries may run ahead of a URL another change is still adding; they wait for it."""
    if not TABLE[key].path and key.split("#")[0] not in url_patterns():
        pytest.skip(f"{key} is not in this tree's URLs")


@pytest.mark.parametrize("key", sorted(TABLE))
def test_each_persona_gets_what_the_table_says(key, scene):
    _skip_if_absent(key)
    problems = _run(TABLE[key], scene, scene.a, PERSONAS)
    assert not problems, "\n".join(problems)


OTHER_UNIT_CASES = sorted(key for key, case in TABLE.items() if case.unit_scoped)


@pytest.mark.parametrize("key", OTHER_UNIT_CASES)
def test_other_units_objects_are_refused(key, scene):
    """Unit A's editor, reporter and administrator ask for unit B's objects by id: refused,
    nothing changes."""
    _skip_if_absent(key)
    case = TABLE[key]
    url = reverse_case(case, scene, scene.b)
    data = case.payload(scene, scene.b)
    by_persona = clients(scene.world)
    problems = []
    for persona in ("editor", "reporter", "subadmin"):
        got, _ = _request(by_persona[persona], "get", url, {})
        # Unit B's draft objects must look missing; unit B itself is public, so 403 is no leak.
        public_unit = any(case.get is table for table in (A_PUBLIC_EDIT, A_ADMIN))
        allowed = {403, 404} if public_unit else {404}
        if case.get is POST_ONLY:
            allowed = {405}
        if got not in allowed:
            problems.append(f"GET {url} as {persona}: expected one of {allowed}, got {got}")
        if case.post is not None:
            got, changed = _request(by_persona[persona], "post", url, data, case.json)
            if changed or got not in (400, 403, 404, 422):
                problems.append(f"POST {url} as {persona}: got {got}, changed={changed}")
    assert not problems, "\n".join(problems)


def test_the_table_covers_every_persona():
    for key, case in TABLE.items():
        for table in filter(None, (case.get, case.post)):
            assert set(table) == set(PERSONAS), key


def test_django_admin_needs_staff(world):
    by_persona = clients(world)
    for persona, client in by_persona.items():
        response = client.get("/admin/")
        assert response.status_code == 302, persona
        assert response["Location"].startswith("/admin/login/"), persona
    # The staff flag is not enough for an administrator of a subtree: the admin sees every row.
    world.subadmin.is_staff = True
    world.subadmin.save()
    response = by_persona["subadmin"].get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    # An administrator of the whole municipality with the staff flag gets in without superuser.
    world.admin.is_staff = True
    world.admin.save()
    assert by_persona["admin"].get("/admin/").status_code == 200
    staff = world.admin
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_the_scene_has_distinct_units(scene):
    ids = {scene.a.card.unit_id, scene.b.card.unit_id}
    assert len(ids) == 2
