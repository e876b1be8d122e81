"""Shared fixtures: the personas' world and a goal chain three levels deep."""

import inspect
import os
from functools import cache
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import (
    World,
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_scorecard,
    make_strategy,
    make_subtree_admin,
    make_target,
)
from followup.models import Measurement
from scorecards.models import Comparator, Direction, ScorecardStatus


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def subadmin(world):
    """Administrator of unit A (Miljöförvaltningen) and the units below it only."""
    return make_subtree_admin(world)


@pytest.fixture
def chain(world):
    """City goal ← Miljöförvaltningen goal ← Energienheten goal, plus a draft in Skola."""
    framtid = make_perspectives()[3]
    city = make_scorecard(world.city, decided_by="Kommunfullmäktige", paragraph="12")
    top = make_goal(
        city,
        "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor",
        perspective=framtid,
    )
    make_strategy(top, "Minska energianvändningen i stadens lokaler")
    energy = make_indicator(
        "Energianvändning i kommunala lokaler", unit="kWh/m²", direction=Direction.LOWER
    )
    metric = make_metric(top, energy)
    make_target(metric, 160, comparator=Comparator.LTE, tolerance=5)
    Measurement.objects.create(indicator=energy, unit=world.city, year=2026, month=3, value=150)
    mid_card = make_scorecard(world.unit_a)
    mid = make_goal(mid_card, "Miljöförvaltningen minskar sin klimatpåverkan", perspective=framtid)
    mid.contributes_to.add(top)
    low_card = make_scorecard(world.unit_a1)
    low = make_goal(low_card, "Energienheten effektiviserar lokalerna", perspective=framtid)
    low.contributes_to.add(mid)
    draft_card = make_scorecard(world.unit_b, status=ScorecardStatus.DRAFT)
    draft = make_goal(draft_card, "Hemligt utkast i Skola", perspective=framtid)
    draft.contributes_to.add(top)
    return type(
        "Chain",
        (),
        dict(city=city, top=top, mid=mid, low=low, draft=draft, metric=metric, energy=energy),
    )


@pytest.fixture
def count_queries():
    """Call ``count_queries(fn)`` → number of queries ``fn`` ran."""

    def run(fn):
        with CaptureQueriesContext(connection) as ctx:
            fn()
        return len(ctx.captured_queries)

    return run


@pytest.fixture(autouse=True)
def fresh_site_settings():
    """The settings row is cached per process (core/site.py). Every test's database starts
    without it, so no test pays a query for it until it saves one."""
    from core.site import assume_no_row, forget

    assume_no_row()
    yield
    forget()


@pytest.fixture(autouse=True)
def swedish_after_each_test():
    """A request in English leaves the thread's language switched; start every test in Swedish."""
    yield
    from django.utils import translation

    translation.activate("sv")


# ``make test-pg`` runs after ``make test`` in CI (.ci/run): a test that cannot reach a database
# proves the same on both, so there it runs only where it touches PostgreSQL. The option is off
# unless given, so ``pytest`` on PostgreSQL alone still runs everything.
DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "django_db_setup",
    "live_server",
}
# A module that names one of these may reach a database without a database fixture: a
# subprocess or a server on DATABASE_URL, psycopg itself, Django's connection, or the blocker
# pytest-django puts in every test (which is why it is not in DB_FIXTURES).
DB_WORDS = (
    "DATABASE_URL",
    "django_db_blocker",
    "subprocess",
    "psycopg",
    "connection",
    "manage.py",
    "call_command",
)


def pytest_addoption(parser):
    parser.addoption(
        "--only-database-tests",
        action="store_true",
        help="deselect the tests that touch no database and the layout walks (they ran already on "
        "SQLite)",
    )


ROOT = Path(__file__).resolve().parent


def _mentions_a_database(text: str) -> bool:
    return any(word in text for word in DB_WORDS)


@cache
def _module_mentions_a_database(path: str) -> bool:
    return _mentions_a_database(Path(path).read_text(encoding="utf-8"))


@cache
def _fixture_mentions_a_database(func) -> bool:
    """Our own fixtures only (the plugins' fixtures are judged by DB_FIXTURES above)."""
    code = getattr(func, "__code__", None)
    path = Path(code.co_filename).resolve() if code else None
    if not path or ROOT not in path.parents or ".venv" in path.parts:
        return False
    return _mentions_a_database(inspect.getsource(func))


def touches_a_database(item) -> bool:
    if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    if _module_mentions_a_database(str(item.fspath)):
        return True
    defs = item._fixtureinfo.name2fixturedefs.values()
    return any(_fixture_mentions_a_database(d.func) for fixturedefs in defs for d in fixturedefs)


def pytest_collection_modifyitems(config, items):
    if config.getoption("only_database_tests"):
        _deselect_tests_without_a_database(config, items)
    _heaviest_files_first(items)


def _deselect_tests_without_a_database(config, items):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("--only-database-tests is for the PostgreSQL run (make test-pg)")
    keep, drop = [], []
    for item in items:
        # Layout and accessibility walks (marker "layout") prove the same on both databases;
        # every page's answer on PostgreSQL, per persona, is core/tests/test_url_permissions.py.
        layout_only = item.get_closest_marker("layout") is not None
        (keep if touches_a_database(item) and not layout_only else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# pytest-xdist (--dist loadfile) hands out whole files in the order collected, and by default
# reorders them by their number of tests, so the browser files and the subprocess-heavy ones, with
# a few long tests each, came last and one worker ran them alone at the end. The Makefile turns
# that off (--no-loadscope-reorder) and the files are sorted here by a rough cost instead: a test
# that drives a browser, a live server or real transactions, or sits in a file that starts
# processes or loads the demo city, counts as HEAVY ordinary tests. Longest first: the last files
# handed out are the short ones, so the workers finish close together.
HEAVY = 25
HEAVY_FIXTURES = {"page", "live_server", "transactional_db"}
HEAVY_WORDS = ("subprocess", "load_demo")


@cache
def _module_is_heavy(path: str) -> bool:
    text = Path(path).read_text(encoding="utf-8")
    return any(word in text for word in HEAVY_WORDS)


def _cost(item) -> int:
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & HEAVY_FIXTURES or _module_is_heavy(str(item.fspath)):
        return HEAVY
    return 1


def _heaviest_files_first(items):
    by_file: dict[str, int] = {}
    for item in items:
        key = str(item.fspath)
        by_file[key] = by_file.get(key, 0) + _cost(item)
    # Stable: the tests of a file keep their order, and files of equal cost the collected one.
    items.sort(key=lambda item: -by_file[str(item.fspath)])
