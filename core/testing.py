"""Test helpers: small factories for the deep object graph, and the personas every view test uses.

Personas (as in healthchecks' hc/test.py):
* ``admin``    – administrator for the whole city
* ``editor``   – owner/editor of unit A (Miljöförvaltningen) and everything below it
* ``reporter`` – reporter of unit A
* ``reader``   – reader of unit B (Skolförvaltningen)
* anonymous    – a citizen
* ``subadmin`` – administrator of unit A only, below the city (``make_subtree_admin``; not in every
  world, so tests that count people or roles keep their numbers)
"""

from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model

# One list of the four perspectives, shared with the demo city.
from demo.city import DEFAULT_PERSPECTIVES
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind
from scorecards.models import (
    Comparator,
    Goal,
    GoalProgramme,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Strategy,
    Target,
)

_seq = count(1)


def make_perspectives() -> list[Perspective]:
    return [
        Perspective.objects.get_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "icon": icon, "order": i}
        )[0]
        for i, (slug, name, colour, icon) in enumerate(DEFAULT_PERSPECTIVES)
    ]


def make_unit(name: str, *, parent: OrgUnit | None = None, kind: str = UnitKind.UNIT) -> OrgUnit:
    return OrgUnit.objects.create(name=name, parent=parent, kind=kind, code=f"u{next(_seq)}-{kind}")


def make_programme(**kw) -> GoalProgramme:
    kw.setdefault("name", "Målprogram")
    kw.setdefault("vision", "Helsingborg 2035 – den skapande, pulserande, gemensamma staden")
    kw.setdefault("start_year", 2023)
    kw.setdefault("end_year", 2026)
    return GoalProgramme.objects.create(**kw)


def make_scorecard(unit: OrgUnit, *, year: int = 2026, programme=None, **kw) -> Scorecard:
    programme = programme or GoalProgramme.objects.first() or make_programme()
    kw.setdefault("status", ScorecardStatus.ADOPTED)
    card = Scorecard.objects.create(unit=unit, year=year, programme=programme, **kw)
    card.perspectives.set(make_perspectives())
    return card


def make_goal(scorecard: Scorecard, title: str = "Ett mål", *, perspective=None, **kw) -> Goal:
    perspective = perspective or make_perspectives()[0]
    return Goal.objects.create(scorecard=scorecard, perspective=perspective, title=title, **kw)


def make_indicator(name: str = "Ett mätetal", **kw) -> Indicator:
    kw.setdefault("unit", "%")
    kw.setdefault("code", f"ind{next(_seq)}")
    return Indicator.objects.create(name=name, **kw)


def make_metric(goal: Goal, indicator: Indicator | None = None, **kw) -> Metric:
    return Metric.objects.create(goal=goal, indicator=indicator or make_indicator(), **kw)


def make_target(metric: Metric, value, *, year: int = 2026, comparator=Comparator.GTE, **kw):
    return Target.objects.create(
        metric=metric, year=year, comparator=comparator, value=Decimal(str(value)), **kw
    )


def make_strategy(goal: Goal, text: str = "En strategi") -> Strategy:
    return Strategy.objects.create(goal=goal, text=text)


class World:
    """A tiny city: kommun → nämnd A (Miljö) → enhet A1; kommun → nämnd B (Skola)."""

    def __init__(self):
        User = get_user_model()
        self.city = make_unit("Staden", kind=UnitKind.MUNICIPALITY)
        self.unit_a = make_unit(
            "Miljöförvaltningen", parent=self.city, kind=UnitKind.ADMINISTRATION
        )
        self.unit_a1 = make_unit("Energienheten", parent=self.unit_a)
        self.unit_b = make_unit("Skolförvaltningen", parent=self.city, kind=UnitKind.ADMINISTRATION)
        self.users = {}
        for name, unit, role in [
            ("admin", self.city, Role.ADMIN),
            ("editor", self.unit_a, Role.EDITOR),
            ("reporter", self.unit_a, Role.REPORTER),
            ("reader", self.unit_b, Role.READER),
        ]:
            user = User.objects.create_user(name, password="pw-" + name)
            RoleAssignment.objects.create(user=user, unit=unit, role=role)
            self.users[name] = user
        self.admin = self.users["admin"]
        self.editor = self.users["editor"]
        self.reporter = self.users["reporter"]
        self.reader = self.users["reader"]


def make_subtree_admin(world: World, unit: OrgUnit | None = None):
    """``world.subadmin``: Administratör of ``unit`` (unit A by default), a unit below the city, so
    administrator of that subtree only."""
    user = get_user_model().objects.create_user("subadmin")  # tests sign in with force_login
    RoleAssignment.objects.create(user=user, unit=unit or world.unit_a, role=Role.ADMIN)
    world.users["subadmin"] = world.subadmin = user
    return user
